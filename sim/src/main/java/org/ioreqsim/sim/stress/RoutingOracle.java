package org.ioreqsim.sim.stress;

import org.ioreqsim.domain.ServerView;
import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Xen;

/**
 * Server selection written again from the spec (section 6, {@code hvm_select_ioreq_server} at the seed)
 * and nothing else, so that a monitor can compare the model's choice with what the spec says:
 * decide the range type and key once (a CF8-enabled access to 0xCFC..0xCFF is matched against PCI
 * ranges only), then take the first enabled server from id 7 down to 0 with one range covering the
 * whole access; none means the null handler. AMD extended CF8 decoding is not modelled here (the
 * stress harness never turns it on).
 */
public final class RoutingOracle {

    /** What selection decided. */
    public record Choice(int serverId, RangeType type, long start, long end, long pciKey) {
        /** The null handler. */
        public boolean none() {
            return serverId < 0;
        }
    }

    private RoutingOracle() {
    }

    /**
     * The server spec section 6 selects for {@code p} (type PIO or COPY) in {@code x}'s domain with CF8
     * latch {@code cf8}; {@code legacyDefault} turns on section 14's catch-all default server.
     */
    public static Choice select(XenInspector x, Ioreq p, long cf8, boolean legacyDefault) {
        RangeType type;
        long start;
        long end;
        long key = -1;
        if (p.type() != IoreqType.PIO && p.type() != IoreqType.COPY) {
            return new Choice(fallback(x, legacyDefault), null, 0, 0, -1);
        }
        boolean cfc = p.type() == IoreqType.PIO && (p.addr() & ~3L) == 0xCFC;
        if (cfc && (cf8 & 0x80000000L) != 0) {
            long bdf = (cf8 & 0x00FFFF00L) >>> 8;
            long reg = (cf8 & 0xFCL) | (p.addr() & 3);
            key = (bdf << 32) | reg;
            type = RangeType.PCI;
            start = bdf;
            end = bdf;
        } else if (p.type() == IoreqType.PIO) {
            type = RangeType.PORT;
            start = p.addr();
            end = p.addr() + p.size() - 1;
        } else {
            type = RangeType.MEMORY;
            if (p.df()) {
                start = p.addr() - (p.count() - 1) * p.size();
                end = p.addr() + p.size() - 1;
            } else {
                start = p.addr();
                end = p.addr() + p.count() * p.size() - 1;
            }
        }
        for (int id = Xen.MAX_NR_IOREQ_SERVERS - 1; id >= 0; id--) {
            ServerView s = x.server(id);
            if (s != null && s.enabled() && !s.isDefault() && s.containsRange(type, start, end)) {
                return new Choice(id, type, start, end, key);
            }
        }
        return new Choice(fallback(x, legacyDefault), type, start, end, key);
    }

    /** How many enabled servers have a range covering the access (more than one: overlapping claims). */
    public static int claimants(XenInspector x, Choice c) {
        if (c.type() == null) {
            return 0;
        }
        int n = 0;
        for (int id = 0; id < Xen.MAX_NR_IOREQ_SERVERS; id++) {
            ServerView s = x.server(id);
            if (s != null && s.enabled() && s.containsRange(c.type(), c.start(), c.end())) {
                n++;
            }
        }
        return n;
    }

    private static int fallback(XenInspector x, boolean legacyDefault) {
        if (!legacyDefault) {
            return -1;
        }
        ServerView s = x.server(0);
        return s != null && s.isDefault() && s.enabled() ? 0 : -1;
    }
}
