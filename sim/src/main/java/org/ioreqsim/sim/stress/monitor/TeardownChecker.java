package org.ioreqsim.sim.stress.monitor;

import java.util.HashMap;
import java.util.Map;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;

/**
 * The order in which a server is torn down, on destroy (spec 10.9) and on domain_kill (spec 12,
 * {@code hvm_destroy_all_ioreq_servers}): disable first (gfn pages zeroed and added back to the guest
 * physmap, 11.3), then deinit (entries and ports freed, gfns back in the pool, pages freed), then the slot
 * is emptied; on domain_kill every event channel is closed before the first server goes, and the servers
 * go one after the other, 7 down to 0. The model marks the two stages ({@link ModelEvent.ServerTeardown});
 * at each mark Xen's state is read as it is at that moment (controlled execution only); the order of the
 * marks is checked in free runs too.
 */
final class TeardownChecker extends Checker {
    private static final int NONE = 0;
    private static final int DISABLED = 1;
    private static final int DEINIT = 2;

    /** Per domain, per server slot: the teardown stage reached so far. */
    private final Map<Integer, int[]> stages = new HashMap<>();
    /** Per domain: the server last torn down in the current domain_kill, or {@code MAX_NR_IOREQ_SERVERS}. */
    private final Map<Integer, Integer> lastKilled = new HashMap<>();
    /** Per domain, per server slot: the gfns held when it was disabled (ioreq, buffered). */
    private final Map<Integer, long[][]> gfnsAtDisable = new HashMap<>();

    TeardownChecker(Context ctx) {
        super(ctx);
    }

    @Override
    void register(EventRouter router) {
        router.on(ModelEvent.ServerTeardown.class, this::onStage);
        router.on(ModelEvent.ServerDestroyed.class, this::onDestroyed);
    }

    private int[] stages(DomainShadow d) {
        return stages.computeIfAbsent(d.domid, k -> new int[Xen.MAX_NR_IOREQ_SERVERS]);
    }

    private void onStage(DomainShadow d, ModelEvent.ServerTeardown e) {
        int[] st = stages(d);
        int id = e.serverId();
        String where = "d" + d.domid + " server " + id;
        if (ModelEvent.ServerTeardown.DISABLED.equals(e.stage())) {
            if (st[id] != NONE) {
                violation("teardown.order", where + " was disabled for its teardown after its deinit");
            }
            for (int other = 0; other < st.length; other++) {
                if (other != id && st[other] != NONE) {
                    violation("teardown.interleaved", where + " began its teardown before server " + other
                            + " finished its own");
                }
            }
            st[id] = DISABLED;
            disabled(d, id, where);
        } else {
            if (st[id] != DISABLED) {
                violation("teardown.order", where + " was deinitialised before it was disabled (disable puts the "
                        + "gfns back into the physmap; deinit then frees ports, gfns and pages)");
            }
            st[id] = DEINIT;
            deinitialised(d, id, where);
        }
    }

    private void onDestroyed(DomainShadow d, ModelEvent.ServerDestroyed e) {
        int[] st = stages(d);
        if (st[e.serverId()] != DEINIT) {
            violation("teardown.order", "d" + d.domid + " server " + e.serverId() + "'s slot was emptied "
                    + (st[e.serverId()] == NONE ? "without disable and deinit" : "before its deinit"));
        }
        st[e.serverId()] = NONE;
    }

    /** The disable stage: disabled, gfns in the physmap, nothing freed yet; on kill, ports already closed. */
    private void disabled(DomainShadow d, int id, String where) {
        long[][] gfns = gfnsAtDisable.computeIfAbsent(d.domid, k -> new long[Xen.MAX_NR_IOREQ_SERVERS][]);
        gfns[id] = null;
        if (!direct || d.x == null) {
            return;
        }
        // hvm_destroy_all_ioreq_servers, until the kill is over; a server created after it (a dying domain
        // with no vCPU left refuses no port) goes by an ordinary destroy
        boolean kill = !d.killed && (d.x.state() == DomainState.DYING || d.x.state() == DomainState.DEAD);
        if (kill) {
            int last = lastKilled.getOrDefault(d.domid, Xen.MAX_NR_IOREQ_SERVERS);
            if (id >= last) {
                violation("teardown.kill-order", where + " torn down after server " + last
                        + " (hvm_destroy_all_ioreq_servers goes from 7 down to 0)");
            }
            lastKilled.put(d.domid, id);
            if (d.table != null) {
                for (EventChannel c : d.table.snapshot()) {
                    if (c.state() == EventChannel.State.UNBOUND || c.state() == EventChannel.State.INTERDOMAIN) {
                        violation("teardown.kill-ports-open", where + " torn down while port " + c.port() + " is still "
                                + c.state() + " (domain_kill closes every event channel first)");
                        break;
                    }
                }
            }
        }
        ServerView sv = d.x.server(id);
        if (sv == null) {
            violation("teardown.order", where + " left its slot before it was disabled");
            return;
        }
        ServerShadow ss = d.servers[id];
        gfns[id] = new long[] {sv.ioreqGfn(), sv.bufioreqGfn()};
        if (exempt(d, ss)) {
            // (domain_kill goes on past a disable that faulted on a dropped page: the server stays enabled)
            return;
        }
        if (sv.enabled()) {
            violation("teardown.not-disabled", where + " is still enabled after the disable stage of its teardown");
        }
        for (long gfn : gfns[id]) {
            if (gfn == Xen.INVALID_GFN || sv.isDefault()) {
                continue;
            }
            if (!d.x.isGuestRam(gfn)) {
                violation("teardown.gfn-not-returned", where + "'s gfn 0x" + Long.toHexString(gfn)
                        + " is not back in the guest physmap after disable");
            }
        }
    }

    /** The deinit stage: no entry, no gfn, no page left; the gfns seen at disable are free and guest RAM. */
    private void deinitialised(DomainShadow d, int id, String where) {
        if (!direct || d.x == null) {
            return;
        }
        ServerView sv = d.x.server(id);
        if (sv == null) {
            violation("teardown.order", where + " left its slot before its deinit finished");
            return;
        }
        if (!sv.entryVcpus().isEmpty()) {
            violation("teardown.deinit-incomplete", where + " still has entries for vCPUs " + sv.entryVcpus());
        }
        if (sv.ioreqGfn() != Xen.INVALID_GFN || sv.bufioreqGfn() != Xen.INVALID_GFN) {
            violation("teardown.deinit-incomplete", where + " still holds gfns after deinit");
        }
        if (sv.ioreqPage() != null || sv.bufferedPage() != null) {
            violation("teardown.deinit-incomplete", where + " still has its pages after deinit");
        }
        long[][] gfns = gfnsAtDisable.get(d.domid);
        ServerShadow ss = d.servers[id];
        if (gfns == null || gfns[id] == null || sv.isDefault() || exempt(d, ss)) {
            return;
        }
        for (long gfn : gfns[id]) {
            if (gfn == Xen.INVALID_GFN || legacy(d, gfn)) {
                continue;
            }
            if (!inPoolFree(d, gfn)) {
                violation("teardown.gfn-not-freed", where + "'s gfn 0x" + Long.toHexString(gfn)
                        + " is not back in the pool after deinit");
            }
            if (!d.x.isGuestRam(gfn)) {
                violation("teardown.gfn-not-returned", where + "'s gfn 0x" + Long.toHexString(gfn)
                        + " is not guest RAM after deinit (disable adds it back; deinit must not take it away)");
            }
        }
    }

    /** Pages dropped (H11), gfns shared (H14), a hypervisor fault: the physmap no longer follows the server. */
    private static boolean exempt(DomainShadow d, ServerShadow ss) {
        return d.faulted || ss == null || ss.pageDropped || ss.pageShared || ss.gfnMappedWhileEnabled;
    }

    /**
     * The gfn's bit is set in the pool's mask. A gfn outside the pool's current 64 (the pool was set up
     * again with another base after it was handed out, H14's context) cannot be checked and passes, as
     * in PageChecker's {@code gfn.not-freed}.
     */
    private static boolean inPoolFree(DomainShadow d, long gfn) {
        long bit = gfn - d.x.gfnPoolBase();
        return !(bit >= 0 && bit < 64) || (d.x.gfnPoolMask() & (1L << bit)) != 0;
    }

    private boolean legacy(DomainShadow d, long gfn) {
        return options.useLegacyGfns()
                && (gfn == d.x.param(HvmParam.IOREQ_PFN) || gfn == d.x.param(HvmParam.BUFIOREQ_PFN));
    }
}
