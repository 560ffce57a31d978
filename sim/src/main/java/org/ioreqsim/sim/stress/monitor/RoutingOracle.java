package org.ioreqsim.sim.stress.monitor;

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

    /** The server table as selection reads it. */
    public interface Table {
        /** Whether slot {@code id} holds an enabled server. */
        boolean enabled(int id);

        /** Whether slot {@code id} holds the pre-seed default server. */
        boolean isDefault(int id);

        /** Whether one range of server {@code id} of {@code type} covers {@code [start, end]}. */
        boolean contains(int id, RangeType type, long start, long end);
    }

    /** Xen's own table, read through an inspector. */
    public static Table of(XenInspector x) {
        return new Table() {
            @Override
            public boolean enabled(int id) {
                ServerView s = x.server(id);
                return s != null && s.enabled();
            }

            @Override
            public boolean isDefault(int id) {
                ServerView s = x.server(id);
                return s != null && s.isDefault();
            }

            @Override
            public boolean contains(int id, RangeType type, long start, long end) {
                ServerView s = x.server(id);
                return s != null && s.containsRange(type, start, end);
            }
        };
    }

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
        return select(of(x), p, cf8, legacyDefault);
    }

    /** As {@link #select(XenInspector, Ioreq, long, boolean)}, over any table. */
    public static Choice select(Table x, Ioreq p, long cf8, boolean legacyDefault) {
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
            if (x.enabled(id) && !x.isDefault(id) && x.contains(id, type, start, end)) {
                return new Choice(id, type, start, end, key);
            }
        }
        return new Choice(fallback(x, legacyDefault), type, start, end, key);
    }

    /** How many enabled servers have a range covering the access (more than one: overlapping claims). */
    public static int claimants(Table x, Choice c) {
        if (c.type() == null) {
            return 0;
        }
        int n = 0;
        for (int id = 0; id < Xen.MAX_NR_IOREQ_SERVERS; id++) {
            if (x.enabled(id) && x.contains(id, c.type(), c.start(), c.end())) {
                n++;
            }
        }
        return n;
    }

    private static int fallback(Table x, boolean legacyDefault) {
        if (!legacyDefault) {
            return -1;
        }
        return x.isDefault(0) && x.enabled(0) ? 0 : -1;
    }
}
