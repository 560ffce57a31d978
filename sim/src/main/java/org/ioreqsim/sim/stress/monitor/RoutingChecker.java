package org.ioreqsim.sim.stress.monitor;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.ActorKey;
import org.ioreqsim.sim.stress.RaceScenario;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.InFlight;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.VcpuShadow;
import org.ioreqsim.vcpu.VcpuRequest;

/**
 * Where requests go (spec 6: server selection, recomputed by {@link RoutingOracle} from the monitors'
 * own range sets; 6.1: the CF8 latch, H15; 9: broadcasts reach every enabled server; 10.3-10.5: range
 * sets, map and unmap; 14: the legacy default server). Keeps each server's range set from the maps and
 * unmaps Xen accepted, and notes unmaps under in-flight requests (H7).
 */
final class RoutingChecker extends Checker {

    RoutingChecker(Context ctx) {
        super(ctx);
    }

    @Override
    void register(EventRouter router) {
        router.on(ModelEvent.IoreqSent.class, this::onSent);
        router.on(ModelEvent.IoreqNotSent.class, this::onNotSent);
        router.on(ModelEvent.IoreqHandled.class, this::onHandled);
        router.on(ModelEvent.RangeChanged.class, this::onRangeChanged);
        router.on(ModelEvent.BufferedSent.class, this::onBufferedSent);
    }

    private void onSent(DomainShadow d, ModelEvent.IoreqSent e) {
        if (!direct) {
            return;
        }
        ServerView sv = d.x.server(e.serverId());
        if (sv == null || d.servers[e.serverId()] == null) {
            violation("routing.no-server", "d" + d.domid + " vCPU " + e.vcpu() + " sent to empty slot " + e.serverId());
            return;
        }
        if (!sv.enabled()) {
            violation("routing.disabled-server", "d" + d.domid + " vCPU " + e.vcpu() + " sent "
                    + Context.describe(e.request()) + " to disabled server " + e.serverId());
        }
        Ioreq original = d.x.latched(e.vcpu());
        if (e.request().type() != IoreqType.INVALIDATE && original != null) {
            cover(RaceScenario.GUEST_IO_AT_SERVER);
            checkRouting(d, e.vcpu(), original, e.serverId(), e.request());
        }
    }

    /** Whether a refused send was an access routed to a disabled server (reported here; nothing else to judge). */
    static boolean routedToDisabled(Context ctx, DomainShadow d, ModelEvent.IoreqNotSent e) {
        Ioreq original = d.x.latched(e.vcpu());
        ServerView sv = d.x.server(e.serverId());
        return original != null && sv != null && !(ctx.message instanceof VcpuRequest.SendInvalidate)
                && (original.type() == IoreqType.PIO || original.type() == IoreqType.COPY) && !sv.enabled();
    }

    private void onNotSent(DomainShadow d, ModelEvent.IoreqNotSent e) {
        if (!direct) {
            return;
        }
        int vi = e.vcpu();
        Ioreq original = d.x.latched(vi);
        ServerView sv = d.x.server(e.serverId());
        if (original != null && sv != null && !(ctx.message instanceof VcpuRequest.SendInvalidate)
                && (original.type() == IoreqType.PIO || original.type() == IoreqType.COPY)) {
            if (!sv.enabled()) {
                violation("routing.disabled-server", "d" + d.domid + " vCPU " + vi + " routed "
                        + Context.describe(original) + " to disabled server " + e.serverId()
                        + " (the send was then refused: " + e.reason() + ")");
                return;
            }
            checkRouting(d, vi, original, e.serverId(), null);
        }
    }

    private void onHandled(DomainShadow d, ModelEvent.IoreqHandled e) {
        if (!direct) {
            return;
        }
        Ioreq latched = d.x.latched(e.vcpu());
        if (latched == null || (latched.type() != IoreqType.PIO && latched.type() != IoreqType.COPY)) {
            return;
        }
        if (e.route().equals("null")) {
            RoutingOracle.Choice c = RoutingOracle.select(ctx.table(d), latched, d.x.pciCf8(),
                    options.legacyDefaultServer());
            if (!c.none()) {
                violation("routing.wrong-server", "d" + d.domid + " vCPU " + e.vcpu() + ": " + Context.describe(latched)
                        + " went to the null handler, spec section 6 selects server " + c.serverId());
            }
            checkCf8(d, e.vcpu(), latched);
        }
    }

    /** Compares the model's choice for {@code original} with the spec's, and the PCI rewrite of {@code sent} (if any). */
    private void checkRouting(DomainShadow d, int vcpu, Ioreq original, int chosen, Ioreq sent) {
        long cf8 = d.x.pciCf8();
        RoutingOracle.Table table = ctx.table(d);
        RoutingOracle.Choice c = RoutingOracle.select(table, original, cf8, options.legacyDefaultServer());
        if (c.serverId() != chosen) {
            violation("routing.wrong-server", "d" + d.domid + " vCPU " + vcpu + ": " + Context.describe(original)
                    + " went to " + (chosen < 0 ? "the null handler" : "server " + chosen) + ", spec section 6 selects "
                    + (c.none() ? "the null handler" : "server " + c.serverId()));
            return;
        }
        if (sent != null && chosen >= 0 && c.type() == RangeType.PCI
                && (sent.type() != IoreqType.PCI_CONFIG || sent.addr() != c.pciKey())) {
            violation("routing.pci-rewrite", "d" + d.domid + " config cycle sent as " + Context.describe(sent)
                    + ", expected PCI_CONFIG addr 0x" + Long.toHexString(c.pciKey()));
        }
        if (chosen >= 0 && RoutingOracle.claimants(table, c) > 1) {
            cover(RaceScenario.OVERLAPPING_RANGES);
        }
        checkCf8(d, vcpu, original);
    }

    /** Spec 6.1, H15: a data cycle routed with a CF8 value this vCPU did not write. */
    private void checkCf8(DomainShadow d, int vcpu, Ioreq original) {
        if (original.type() == IoreqType.PIO && (original.addr() & ~3L) == 0xCFC) {
            VcpuShadow v = d.vcpu(vcpu);
            long cf8 = d.x.pciCf8();
            if (v.lastCf8Write >= 0 && cf8 != v.lastCf8Write) {
                finding("H15", "d" + d.domid + " vCPU " + vcpu + " accessed 0x" + Long.toHexString(original.addr())
                        + " after writing CF8 0x" + Long.toHexString(v.lastCf8Write) + ", but the latch held 0x"
                        + Long.toHexString(cf8));
            }
        }
    }

    /** Spec 10.3-10.5: maps and unmaps Xen accepted keep the monitors' range sets; H7: unmap under a request. */
    private void onRangeChanged(DomainShadow d, ModelEvent.RangeChanged e) {
        ServerShadow ss = direct ? d.servers[e.serverId()] : null;
        if (ss != null) {
            IntervalSet set = ss.ranges[e.type().code()];
            String what = "d" + d.domid + " server " + e.serverId() + " " + e.type() + " [0x" + Long.toHexString(e.start())
                    + ", 0x" + Long.toHexString(e.end()) + "]";
            if (Long.compareUnsigned(e.start(), e.end()) > 0) {
                violation("ranges.reversed-accepted", what + (e.mapped() ? " mapped" : " unmapped")
                        + " although start > end (-EINVAL, XSA-238)");
            } else if (e.mapped()) {
                if (set.overlaps(e.start(), e.end())) {
                    violation("ranges.overlap-accepted", what + " mapped although it overlaps " + set
                            + " (-EEXIST, spec 10.4)");
                }
                set.add(e.start(), e.end());
            } else {
                if (!set.containsInOne(e.start(), e.end())) {
                    violation("ranges.unmap-not-contained", what + " unmapped although no one range of " + set
                            + " contains it (-ENOENT, spec 10.5)");
                }
                set.remove(e.start(), e.end());
            }
        }
        if (!e.mapped()) {
            checkUnmapUnderRequest(d, e);
        }
    }

    private void checkUnmapUnderRequest(DomainShadow d, ModelEvent.RangeChanged e) {
        for (VcpuShadow v : d.vcpus.values()) {
            for (InFlight f : v.inflight) {
                if (f.server() != e.serverId()) {
                    continue;
                }
                Ioreq o = f.original();
                long lo;
                long hi;
                if (e.type() == RangeType.PCI) {
                    if (f.request().type() != IoreqType.PCI_CONFIG) {
                        continue;
                    }
                    lo = f.request().addr() >>> 32;
                    hi = lo;
                } else if (e.type() == RangeType.PORT && o.type() == IoreqType.PIO
                        && f.request().type() == IoreqType.PIO) {
                    lo = o.addr();
                    hi = o.addr() + o.size() - 1;
                } else if (e.type() == RangeType.MEMORY && o.type() == IoreqType.COPY) {
                    lo = o.firstByte();
                    hi = o.lastByte();
                } else {
                    continue;
                }
                if (Long.compareUnsigned(lo, e.end()) <= 0 && Long.compareUnsigned(hi, e.start()) >= 0) {
                    cover(RaceScenario.UNMAP_DURING_IO);
                    finding("H7", "d" + d.domid + " server " + e.serverId() + " unmapped " + e.type() + " [0x"
                            + Long.toHexString(e.start()) + ", 0x" + Long.toHexString(e.end()) + "] while vCPU "
                            + v.vcpu + "'s " + Context.describe(o) + " routed by it was in flight");
                }
            }
        }
    }

    /** Spec 6 for a buffered VGA write: it goes to the server selection picks. */
    private void onBufferedSent(DomainShadow d, ModelEvent.BufferedSent e) {
        if (!direct) {
            return;
        }
        ServerView sv = d.x.server(e.serverId());
        BufferedIoreqPage ring = sv == null ? null : sv.bufferedPage();
        if (d.servers[e.serverId()] == null || ring == null) {
            return;
        }
        long slot = ring.slotAt(e.writePointer() - e.slots());
        if (BufferedIoreqPage.slotType(slot) == IoreqType.COPY.code()) {
            Ioreq q = new Ioreq(BufferedIoreqPage.slotAddr(slot), 0, 1, 1L << BufferedIoreqPage.slotSizeCode(slot), 0,
                    IoreqState.READY, false, IoDirection.WRITE, false, IoreqType.COPY);
            RoutingOracle.Choice c = RoutingOracle.select(ctx.table(d), q, d.x.pciCf8(), options.legacyDefaultServer());
            if (c.serverId() != e.serverId()) {
                violation("routing.wrong-server", "d" + d.domid + " buffered VGA write to 0x"
                        + Long.toHexString(q.addr()) + " went to server " + e.serverId() + ", spec section 6 selects "
                        + (c.none() ? "no server" : "server " + c.serverId()));
            }
        }
    }

    /** After a domain step: each server's ranges are the ones the accepted maps and unmaps give (spec 10.3). */
    void checkRanges(DomainShadow d) {
        if (d.table == null) {
            return;
        }
        for (ServerShadow ss : d.servers) {
            ServerView sv = ss == null ? null : d.x.server(ss.id);
            if (sv == null || sv.isDefault()) {
                continue;
            }
            for (RangeType rt : RangeType.values()) {
                List<long[]> model = sv.ranges(rt);
                if (!ss.ranges[rt.code()].sameAs(model)) {
                    violation("ranges.mismatch", "d" + d.domid + " server " + ss.id + " " + rt + " ranges are "
                            + Context.describeRanges(model) + ", the maps and unmaps Xen accepted give "
                            + ss.ranges[rt.code()]);
                    ss.ranges[rt.code()] = new IntervalSet();
                    for (long[] r : model) {
                        ss.ranges[rt.code()].add(r[0], r[1]);
                    }
                }
            }
        }
    }

    /**
     * A broadcast (spec 9) goes to every enabled server, id 7 down to 0, and to no disabled one: after a
     * domain step that broadcast, the servers it sent to (or tried to) are exactly the enabled ones
     * (less the bufioreq-OFF ones for TIMEOFFSET with skipNonBufferedInBroadcast).
     */
    void checkBroadcast() {
        boolean invalidate = ctx.message instanceof VcpuRequest.SendInvalidate;
        boolean timeoffset = ctx.message instanceof VcpuRequest.SendTimeoffset;
        DomainShadow d = ctx.domains.get(ctx.actor.domid());
        if (ctx.actor.kind() != ActorKey.Kind.DOMAIN || (!invalidate && !timeoffset) || d == null || d.x == null
                || d.killed || d.x.state() != DomainState.RUNNING) {
            return;
        }
        Set<Integer> reached = new TreeSet<>();
        for (ModelEvent e : ctx.stepEvents) {
            if (invalidate && e instanceof ModelEvent.IoreqSent s && s.request().type() == IoreqType.INVALIDATE) {
                reached.add(s.serverId());
            } else if (invalidate && e instanceof ModelEvent.IoreqNotSent n) {
                reached.add(n.serverId());
            } else if (timeoffset && e instanceof ModelEvent.BufferedSent b) {
                reached.add(b.serverId());
            } else if (timeoffset && e instanceof ModelEvent.BufferedNotSent b) {
                reached.add(b.serverId());
            }
        }
        Set<Integer> expected = new TreeSet<>();
        for (int id = 0; id < Xen.MAX_NR_IOREQ_SERVERS; id++) {
            ServerView sv = d.x.server(id);
            if (sv != null && sv.enabled()
                    && !(timeoffset && options.skipNonBufferedInBroadcast() && sv.mode() == BufioreqMode.OFF)) {
                expected.add(id);
            }
        }
        if (!reached.equals(expected)) {
            violation("broadcast.servers", "d" + d.domid + " " + (invalidate ? "INVALIDATE" : "TIMEOFFSET")
                    + " broadcast reached servers " + reached + ", the enabled servers are " + expected + " (spec 9)");
        }
    }
}
