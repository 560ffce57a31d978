package org.ioreqsim.sim.stress.monitor;

import java.util.HashMap;
import java.util.Map;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.Page;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.ActorKey;
import org.ioreqsim.sim.stress.StressOp;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.VcpuShadow;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;

/**
 * The checkers of one schedule, one per rule family, and what feeds them: each model event goes to the
 * handlers its record type registered (permissions, lifecycle, rings, routing, protocol, crashes,
 * teardown, ports, in that order); after every step of a controlled run the checks that read Xen's state
 * run for what the actor that ran can have changed; the lanes' reports go to the checker they concern.
 *
 * <p>Not thread-safe: the caller ({@link org.ioreqsim.sim.stress.Monitor}) confines it.
 */
public final class Checkers {
    private final Context ctx;
    private final EventRouter router = new EventRouter();
    private final Map<String, ActorKey> keys = new HashMap<>();
    private final PermissionChecker permissions;
    private final LifecycleChecker lifecycle;
    private final RoutingChecker routing;
    private final ProtocolChecker protocol;
    private final RingChecker rings;
    private final PageChecker pages;
    private final PortChecker ports;
    private final CrashChecker crashes;
    private final TeardownChecker teardown;
    private final LivenessChecker liveness;
    private final ParamChecker params;

    /**
     * @param options the Xen options of the run (which hazards are fixed)
     * @param direct  read Xen's state between steps (controlled execution)
     */
    public Checkers(XenOptions options, boolean direct) {
        ctx = new Context(options, direct, new Sink(options));
        permissions = new PermissionChecker(ctx);
        pages = new PageChecker(ctx);
        ports = new PortChecker(ctx);
        lifecycle = new LifecycleChecker(ctx, permissions, pages, ports);
        routing = new RoutingChecker(ctx);
        protocol = new ProtocolChecker(ctx);
        rings = new RingChecker(ctx);
        crashes = new CrashChecker(ctx);
        teardown = new TeardownChecker(ctx);
        liveness = new LivenessChecker(ctx);
        params = new ParamChecker(ctx);
        for (Checker c : new Checker[] {permissions, lifecycle, rings, routing, protocol, crashes, teardown, pages,
                ports, liveness}) {
            c.register(router);
        }
    }

    public Sink sink() {
        return ctx.sink;
    }

    public void attach(Host host) {
        ctx.host = host;
    }

    public void emulatorDomain(int domid) {
        ports.emulatorDomain(domid);
    }

    /** The driver is about to run {@code key}, whose next message is {@code msg} (or null). */
    public void beforeStep(int stepIndex, String key, Object msg) {
        ctx.sink.step(stepIndex);
        ctx.actor = keys.computeIfAbsent(key, ActorKey::parse);
        ctx.actorName = key;
        ctx.message = msg;
        ctx.stepEvents.clear();
        DomainShadow d = ctx.actor.domid() >= 0 ? ctx.domains.get(ctx.actor.domid()) : null;
        ctx.pausedBefore = d != null && d.x != null && d.x.pauseInEffect();
        pages.beforeStep(d, msg);
        rings.beforeStep(d);
        lifecycle.beforeStep();
    }

    /**
     * The step ran: diff Xen's state against what the rules allow. Only what the actor that ran can
     * have changed is read: a domain's or vCPU's or emulator's step concerns its (target) domain, the
     * toolstack's and answerers' steps reach Xen only through messages, any other actor gets everything
     * checked.
     */
    public void afterStep() {
        checkStep();
        if (ctx.direct) {
            rings.checkGoneRings();
        }
        rings.judgeVgaOrder();
    }

    private void checkStep() {
        if (!ctx.direct) {
            return;
        }
        ActorKey.Kind k = ctx.actor.kind();
        if (k == ActorKey.Kind.LANE || k == ActorKey.Kind.HYPERVISOR) {
            return;
        }
        if (k == ActorKey.Kind.EMULATOR) {
            protocol.emulatorStep(lifecycle.emulator(ctx.actorName), ctx.message);
        }
        boolean all = k == ActorKey.Kind.OTHER;
        for (DomainShadow d : ctx.domains.values()) {
            if (d.x == null || (!all && d.domid != ctx.actor.domid())) {
                continue;
            }
            lifecycle.sync(d);
            if (d.killed) {
                ports.checkKilled(d);
                continue;
            }
            protocol.checkSlots(d);
            rings.checkRings(d);
            if (k != ActorKey.Kind.VCPU) {
                if (k == ActorKey.Kind.DOMAIN) {
                    routing.checkRanges(d);
                }
                ports.checkEntriesAndPorts(d);
                if (k != ActorKey.Kind.DOMAIN) {
                    ports.checkFreshBindings(d);
                }
            }
            if (k == ActorKey.Kind.DOMAIN || all) {
                pages.checkGfns(d);
            }
            if (k != ActorKey.Kind.EMULATOR) {
                protocol.checkPending(d);
            }
        }
        permissions.checkPausedVcpu();
        if (k == ActorKey.Kind.DOMAIN) {
            routing.checkBroadcast();
        }
    }

    /** A model event, reported inside the step that caused it. */
    public void event(ModelEvent e) {
        if (!ctx.direct) {
            ctx.stepEvents.clear();
        }
        ctx.stepEvents.add(e);
        DomainShadow d = ctx.domain(e.domid());
        permissions.checkOwner(d, e);
        router.dispatch(d, e);
    }

    public void guestOpStarted(int domid, int vcpu, int incarnation, GuestOp op) {
        protocol.guestOpStarted(ctx.domain(domid), vcpu, incarnation, op);
    }

    public void guestOpEnded(int domid, int vcpu, int incarnation, Outcome outcome) {
        DomainShadow d = ctx.domain(domid);
        VcpuShadow v = d.vcpu(vcpu);
        if (protocol.guestOpEnded(d, v, incarnation, outcome)) {
            crashes.guestOpEnded(d, v, outcome);
            protocol.settled(v);
        }
    }

    public void laneOpStarted(String lane, int domid, StressOp op) {
        lifecycle.laneOpStarted(ctx.domain(domid), op);
        liveness.laneWaiting(lane, op);
    }

    public void laneOpDone(String lane, int domid, StressOp op, Result<?> result) {
        DomainShadow d = ctx.domain(domid);
        liveness.laneDone(lane);
        lifecycle.laneOpDone(d, op, result);
        params.laneOpDone(d, op, result);
    }

    public void laneFinished(String lane) {
        liveness.laneFinished(lane);
    }

    /**
     * A run that does not end because a running emulator drains a ring at a gfn page that is no longer its
     * server's ring: the gfn was handed out again, so the page's pointer word is another page's and says
     * more than 511 slots are in use, and QEMU reads a ring until its read pointer meets the write pointer,
     * up to 2^32 empty slots. The gfn went back through a second NR_IOREQ_SERVER_PAGES (spec 16 H14), a
     * failed acquire_resource that dropped the page (H11), or a destroy while the emulator ran on
     * (GFN-REUSE). The hazard and a description, or null.
     */
    public EndlessRing endlessRing() {
        if (!ctx.direct) {
            return null;
        }
        for (Map.Entry<String, ServerShadow> e : lifecycle.runningEmulators().entrySet()) {
            ServerShadow ss = e.getValue();
            DomainShadow d = ctx.domains.get(ActorKey.parse(e.getKey()).domid());
            if (d == null || d.x == null || !(ss.bufPage instanceof Page page)) {
                continue;
            }
            ServerView sv = d.x.server(ss.id);
            if (sv != null && sv.bufferedPage() != null && sv.bufferedPage().page() == page && !d.gfnsHandedOutTwice) {
                continue; // still its server's own ring: nothing explains pointers that far apart
            }
            long p = new BufferedIoreqPage(page).pointers();
            long rp = BufferedIoreqPage.readPointerOf(p) & 0xFFFFFFFFL;
            long wp = BufferedIoreqPage.writePointerOf(p) & 0xFFFFFFFFL;
            long used = (wp - rp) & 0xFFFFFFFFL;
            if (used > Xen.IOREQ_BUFFER_SLOT_NUM) {
                String hazard = d.gfnsHandedOutTwice ? "H14" : ss.pageDropped ? "H11" : "GFN-REUSE";
                return new EndlessRing(hazard, e.getKey() + " drains the ring it mapped for d" + d.domid + " server "
                        + ss.id + " (rp=" + rp + " wp=" + wp + ", " + used + " slots), at a gfn "
                        + switch (hazard) {
                            case "H14" -> "a second NR_IOREQ_SERVER_PAGES handed out again";
                            case "H11" -> "that went back to the pool when a failed acquire_resource dropped its page";
                            default -> "that went back to the pool when its server was destroyed";
                        });
            }
        }
        return null;
    }

    /** The hazard behind a run that does not end, and what the draining emulator reads. */
    public record EndlessRing(String hazard, String detail) {
    }

    public int lanesFinished() {
        return liveness.lanesFinished();
    }

    public boolean anyVcpuThinking() {
        return liveness.anyVcpuThinking();
    }

    public void laneWaiting(String lane, String what) {
        liveness.laneWaiting(lane, what);
    }

    public void emulatorStarted(String key, int domid, int serverId) {
        lifecycle.emulatorStarted(key, ctx.domain(domid), serverId);
    }

    public void emulatorGone(String key, String how) {
        lifecycle.emulatorGone(key, how);
    }

    /** An emulator that writes its slots itself (the testkit's probe) answered {@code data} (spec 7.2). */
    public void answered(String key, int vcpu, long data) {
        protocol.answered(lifecycle.emulator(key), vcpu, data);
    }

    public void ringStart(int domid, long start) {
        ctx.domain(domid).ringStart = start;
    }

    public void vgaWrite(String device, int data) {
        rings.vgaWrite(device, data);
    }

    public void faultInjected(String kind) {
        liveness.faultInjected(kind);
    }

    public int[] faults() {
        return liveness.faults();
    }

    public void atQuiescence() {
        liveness.atQuiescence();
    }
}
