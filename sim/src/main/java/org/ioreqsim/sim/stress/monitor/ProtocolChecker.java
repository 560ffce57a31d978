package org.ioreqsim.sim.stress.monitor;

import org.ioreqsim.domain.DomainState;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.ActorKey;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.InFlight;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.VcpuShadow;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;

/**
 * The synchronous request protocol (spec 7): one request per vCPU outstanding (7.1), sent only into a
 * NONE slot with the right port, published READY; slots move only as 7.4 allows, each move by the
 * actor the spec gives it to; completion consumes what the emulator answered (7.3); pending flags
 * follow the outstanding requests; a guest operation ends once, with the value completion consumed
 * or the null handler's all ones (5, 5.1). Records why a send was refused, for {@link CrashChecker}.
 */
final class ProtocolChecker extends Checker {

    ProtocolChecker(Context ctx) {
        super(ctx);
    }

    @Override
    void register(EventRouter router) {
        router.on(ModelEvent.IoreqSent.class, this::onSent);
        router.on(ModelEvent.IoreqNotSent.class, this::onNotSent);
        router.on(ModelEvent.IoreqHandled.class, this::onHandled);
        router.on(ModelEvent.IoreqCompleted.class, this::onCompleted);
    }

    /** Spec 7.1: a send goes into a NONE slot with the entry's port, and only one request is outstanding. */
    private void onSent(DomainShadow d, ModelEvent.IoreqSent e) {
        VcpuShadow v = d.vcpu(e.vcpu());
        boolean broadcast = e.request().type() == IoreqType.INVALIDATE;
        if (!direct) {
            v.inflight.add(new InFlight(e.serverId(), 0, e.request(), e.request(), ctx.step()));
            return;
        }
        ServerView sv = d.x.server(e.serverId());
        ServerShadow ss = d.servers[e.serverId()];
        if (sv == null || ss == null) {
            return; // routing.no-server
        }
        for (InFlight f : v.inflight) {
            if (!broadcast || f.request().type() != IoreqType.INVALIDATE || f.step() != ctx.step()) {
                violation("ioreq.second-request", "d" + d.domid + " vCPU " + e.vcpu() + " sent to server "
                        + e.serverId() + " while its request to server " + f.server() + " (step " + f.step()
                        + ") is outstanding");
                break;
            }
        }
        int vi = e.vcpu();
        if (ss.page != null && vi < Shadows.TRACKED_VCPUS) {
            if (ss.slot[vi] != IoreqState.NONE) {
                violation("send.slot-not-none", "d" + d.domid + " server " + e.serverId() + " slot of vCPU " + vi
                        + " was " + IoreqState.name(ss.slot[vi]) + " yet Xen sent (hvm_send_ioreq refuses)");
            } else if (ss.vpEport[vi] != sv.entryPort(vi)) {
                violation("send.bad-eport", "d" + d.domid + " server " + e.serverId() + " slot of vCPU " + vi
                        + " had vp_eport " + ss.vpEport[vi] + " != port " + sv.entryPort(vi) + " yet Xen sent");
            }
        }
        if (e.request().vpEport() != sv.entryPort(vi)) {
            violation("send.wrong-port", "d" + d.domid + " sent with vp_eport " + e.request().vpEport()
                    + ", entry port is " + sv.entryPort(vi));
        }
        Ioreq original = d.x.latched(vi);
        v.inflight.add(new InFlight(e.serverId(), ss.generation, e.request(), original == null ? e.request() : original,
                ctx.step()));
        v.orphaned = false;
        if (!broadcast) {
            v.staleLatch = false;
        }
        v.lostServer = false;
        ss.answered[Math.min(vi, Shadows.TRACKED_VCPUS - 1)] = null;
    }

    /** Spec 7.1: Xen refuses a send only for a reason something earlier explains; records which. */
    private void onNotSent(DomainShadow d, ModelEvent.IoreqNotSent e) {
        VcpuShadow v = d.vcpu(e.vcpu());
        v.lastRefusal = e.reason();
        v.lastRefusalServer = e.serverId();
        v.lastRefusalCause = null;
        if (!direct) {
            return;
        }
        if (e.status() == IoStatus.RETRY && d.x.state() == DomainState.RUNNING) {
            violation("send.retry-while-running", "d" + d.domid + " refused a send with RETRY although running");
        }
        if (RoutingChecker.routedToDisabled(ctx, d, e)) {
            return; // routing.disabled-server
        }
        ServerShadow ss = d.servers[e.serverId()];
        int vi = e.vcpu();
        if (ss == null || vi >= Shadows.TRACKED_VCPUS) {
            return;
        }
        if (e.reason().startsWith("device model set bad IO state")) {
            if (ss.dirtyFromRemovedVcpu[vi]) {
                v.lastRefusalCause = "S10-vcpu-destroy";
            } else if (ss.pageShared) {
                v.lastRefusalCause = "H14";
            } else if (ss.gfnMappedWhileEnabled) {
                // mapped at a gfn while enabled, the page was never zeroed (only enable and disable zero a gfn
                // page, spec 11.3): it holds whatever the guest frame held, an earlier server's slots included
                v.lastRefusalCause = "H13";
            } else if (ss.emulatorMisbehaved[vi]) {
                v.lastRefusalCause = "EMU";
            } else {
                violation("send.refused-clean-slot", "d" + d.domid + " server " + e.serverId() + " refused vCPU " + vi
                        + " (" + e.reason() + ") though nothing left its slot busy");
            }
        } else if (e.reason().startsWith("device model set bad event channel")) {
            if (ss.enabledWithoutPage || ss.gfnMappedWhileEnabled || ss.pageDropped || ss.pageShared) {
                v.lastRefusalCause = ss.pageDropped ? "H11" : ss.enabledWithoutPage ? "H12"
                        : ss.gfnMappedWhileEnabled ? "H13" : "H14";
            } else if (ss.emulatorMisbehaved[vi]) {
                v.lastRefusalCause = "EMU";
            } else {
                violation("send.refused-good-port", "d" + d.domid + " server " + e.serverId() + " refused vCPU " + vi
                        + " (" + e.reason() + ") though Xen wrote its vp_eport at enable");
            }
        } else if (e.reason().startsWith("no entry")) {
            if (d.h2Leak || !d.failedAdds.isEmpty()) {
                v.lastRefusalCause = "H2";
            } else {
                violation("send.no-entry", "d" + d.domid + " server " + e.serverId() + " has no entry for live vCPU "
                        + vi);
            }
        }
    }

    /** An access a server handled: the vCPU's last refusal is behind it. */
    private void onHandled(DomainShadow d, ModelEvent.IoreqHandled e) {
        if (!direct) {
            return;
        }
        Ioreq latched = d.x.latched(e.vcpu());
        if (latched == null || (latched.type() != IoreqType.PIO && latched.type() != IoreqType.COPY)) {
            return;
        }
        if (e.status() == IoStatus.OKAY && !e.route().equals("null")) {
            d.vcpu(e.vcpu()).lastRefusal = null;
        }
    }

    /** Spec 7.3: completion ends one outstanding request and consumes what the emulator answered. */
    private void onCompleted(DomainShadow d, ModelEvent.IoreqCompleted e) {
        VcpuShadow v = d.vcpu(e.vcpu());
        ServerShadow ss = direct ? d.servers[e.serverId()] : null;
        int generation = ss == null ? 0 : ss.generation;
        InFlight f = v.remove(e.serverId(), generation);
        if (f == null) {
            violation("completion.without-request", "d" + d.domid + " vCPU " + e.vcpu() + " completed a request at server "
                    + e.serverId() + " that it has no outstanding request at (double completion or a dead server)");
            return;
        }
        v.lastConsumed = e.data();
        v.lastConsumedState = e.stateSeen();
        int vi = e.vcpu();
        if (ss == null || vi >= Shadows.TRACKED_VCPUS) {
            return;
        }
        if (e.stateSeen() == IoreqState.IORESP_READY) {
            Long answered = ss.answered[vi];
            if (answered != null && f.request().isRead() && !f.request().dataIsPtr() && answered != e.data()
                    && !ss.emulatorMisbehaved[vi] && !ss.zeroedUnderRequest[vi] && !ss.pageDropped) {
                violation("completion.wrong-data", "d" + d.domid + " vCPU " + vi + " consumed 0x"
                        + Long.toHexString(e.data()) + " from server " + e.serverId() + ", its emulator answered 0x"
                        + Long.toHexString(answered));
            }
        } else if (e.stateSeen() == IoreqState.NONE) {
            if (e.data() != ~0L) {
                violation("completion.reset-data", "d" + d.domid + " vCPU " + vi + " completed a reset slot with 0x"
                        + Long.toHexString(e.data()) + " instead of all ones");
            }
            if (!ss.zeroedUnderRequest[vi] && !ss.emulatorMisbehaved[vi] && !ss.pageDropped) {
                violation("completion.slot-lost", "d" + d.domid + " vCPU " + vi + " found its slot at server "
                        + e.serverId() + " NONE though no disable zeroed it and the emulator never reset it");
            }
        }
        ss.answered[vi] = null;
    }

    /** After a step: every tracked slot's move since the last step (spec 7.4). */
    void checkSlots(DomainShadow d) {
        for (ServerShadow ss : d.servers) {
            if (ss == null || ss.page == null) {
                continue;
            }
            ServerView sv = d.x.server(ss.id);
            IoreqPage page = sv == null ? null : sv.ioreqPage();
            if (page == null) {
                continue;
            }
            for (int v = 0; v < Shadows.TRACKED_VCPUS; v++) {
                int now = page.state(v);
                long port = page.vpEport(v);
                int was = ss.slot[v];
                if (now != was) {
                    checkTransition(d, ss, v, was, now);
                }
                if (ss.answered[v] != null && ctx.actor.kind() == ActorKey.Kind.EMULATOR
                        && ctx.actorName.equals(ss.emulatorKey)) {
                    // only its emulator writes a slot's data in its own step, and QEMU writes req->data
                    // before it checks that the slot is still in service (spec 15): serving a request that
                    // a second client had already answered (H8) overwrites that answer, then fails
                    ss.answered[v] = page.data(v);
                }
                if (port != ss.vpEport[v] && ctx.actor.kind() == ActorKey.Kind.EMULATOR) {
                    ss.emulatorMisbehaved[v] = true;
                    finding("EMU", "d" + d.domid + " server " + ss.id + " vCPU " + v + " vp_eport " + ss.vpEport[v]
                            + " -> " + port + " by its emulator (only Xen writes it, spec 7.1)");
                }
                ss.slot[v] = now;
                ss.vpEport[v] = port;
            }
            for (ModelEvent e : ctx.stepEvents) {
                if (e instanceof ModelEvent.IoreqSent s && s.domid() == d.domid && s.serverId() == ss.id
                        && s.vcpu() < Shadows.TRACKED_VCPUS && ss.slot[s.vcpu()] != IoreqState.READY
                        && ctx.actor.kind() == ActorKey.Kind.DOMAIN) {
                    violation("send.not-published", "d" + d.domid + " sent to server " + ss.id + " but vCPU "
                            + s.vcpu() + "'s slot is " + IoreqState.name(ss.slot[s.vcpu()]) + " after the send");
                }
            }
        }
    }

    /** A slot moved from {@code was} to {@code now} in this step: is the actor that ran allowed to (spec 7.4)? */
    private void checkTransition(DomainShadow d, ServerShadow ss, int v, int was, int now) {
        ActorKey actor = ctx.actor;
        String where = "d" + d.domid + " server " + ss.id + " vCPU " + v + " slot " + IoreqState.name(was) + " -> "
                + IoreqState.name(now);
        switch (actor.kind()) {
            case DOMAIN -> {
                if (actor.domid() != d.domid) {
                    violation("slot.foreign-domain", where + " in a step of domain " + actor.domid());
                } else if (was == IoreqState.NONE && now == IoreqState.READY) {
                    if (!ctx.sentThisStep(d, ss, v)) {
                        violation("slot.unexplained-ready", where + " without a send");
                    }
                } else if (now == IoreqState.NONE && Context.stateChangedThisStep(d, ss)) {
                    if (d.vcpu(v).inflightAt(ss.id, ss.generation)) {
                        ss.zeroedUnderRequest[v] = true;
                    }
                } else {
                    violation("slot.illegal-xen-transition", where + " by the domain (spec 7.4)");
                }
            }
            case VCPU -> {
                if (actor.domid() != d.domid || actor.vcpu() != v) {
                    violation("slot.foreign-vcpu", where + " in a step of d" + actor.domid() + " vCPU " + actor.vcpu());
                } else if (was == IoreqState.IORESP_READY && now == IoreqState.NONE) {
                    if (!ctx.completedThisStep(d, ss, v)) {
                        violation("slot.unexplained-consume", where + " without a completion");
                    }
                } else {
                    violation("slot.illegal-xen-transition", where + " by the vCPU (spec 7.4)");
                }
            }
            case EMULATOR -> {
                boolean legal = (was == IoreqState.READY && (now == IoreqState.INPROCESS || now == IoreqState.IORESP_READY))
                        || (was == IoreqState.INPROCESS && now == IoreqState.IORESP_READY);
                if (!legal) {
                    ss.emulatorMisbehaved[v] = true;
                    finding("EMU", where + " by its emulator");
                } else if (now == IoreqState.IORESP_READY && !portBound(d, ss, v)) {
                    // an answer written before the emulator bound the vCPU's port: its send went nowhere, so
                    // the vCPU is never woken (Xen is the same); the emulator broke the protocol (spec 7.2)
                    ss.emulatorMisbehaved[v] = true;
                    finding("EMU", where + " by its emulator before it bound the vCPU's port");
                }
            }
            default -> violation("slot.changed-by-" + actor.kind().name().toLowerCase(java.util.Locale.ROOT), where);
        }
    }

    /** The Xen-side port of vCPU {@code v}'s entry is bound to the emulator (interdomain). */
    private static boolean portBound(DomainShadow d, ServerShadow ss, int v) {
        ServerView sv = d.x == null ? null : d.x.server(ss.id);
        if (sv == null || d.table == null || !sv.hasEntry(v)) {
            return true; // nothing to judge
        }
        EventChannel c = d.table.port(sv.entryPort(v));
        return c == null || c.state() == EventChannel.State.INTERDOMAIN;
    }

    /** Pending flags must match the requests the monitor knows are outstanding. */
    void checkPending(DomainShadow d) {
        for (ServerShadow ss : d.servers) {
            ServerView sv = ss == null ? null : d.x.server(ss.id);
            if (sv == null) {
                continue;
            }
            for (int v : sv.entryVcpuIds()) {
                boolean pending = sv.entryPending(v);
                boolean known = d.vcpus.containsKey(v) && d.vcpus.get(v).inflightAt(ss.id, ss.generation);
                if (!pending && known && v < Shadows.TRACKED_VCPUS && ss.emulatorMisbehaved[v]) {
                    // hvm_wait_for_io clears pending and crashes the domain on a state the emulator wrote (XSA-262)
                    d.vcpus.get(v).remove(ss.id, ss.generation);
                    finding("EMU", "d" + d.domid + " server " + ss.id + " vCPU " + v + "'s request was given up: its "
                            + "emulator wrote an illegal slot state");
                } else if (pending != known && d.x.hasVcpu(v)) {
                    violation("pending.mismatch", "d" + d.domid + " server " + ss.id + " vCPU " + v + " entry pending="
                            + pending + " but the vCPU " + (known ? "has" : "has no") + " request outstanding there");
                }
            }
        }
    }

    /** Incarnation {@code incarnation} of a vCPU started a guest operation: one at a time (spec 5). */
    void guestOpStarted(DomainShadow d, int vcpu, int incarnation, GuestOp op) {
        VcpuShadow v = d.vcpu(vcpu);
        if (v.opOutstanding && v.opIncarnation == incarnation) {
            violation("op.overlap", "d" + d.domid + " vCPU " + vcpu + " started " + op + " before its last op ended");
        }
        v.opOutstanding = true;
        v.opIncarnation = incarnation;
        v.currentOp = op;
    }

    /**
     * A vCPU's guest operation ended: once, by the live incarnation, not in a killed domain (spec 12), with
     * the value completion consumed. Returns whether the outcome is the current operation's (then the
     * caller explains a failure and settles the refusal).
     */
    boolean guestOpEnded(DomainShadow d, VcpuShadow v, int incarnation, Outcome outcome) {
        if (incarnation != v.opIncarnation) {
            // A removed incarnation must not run again: its operation may only end unrun, abandoned when
            // it was retired, or ended by a crash of its domain that it was told before its removal and
            // takes in after it (the domain tells a crash only to the vCPUs it holds).
            boolean crashedBeforeRemoval = outcome.kind() == Outcome.Kind.DOMAIN_CRASHED && d.crashed;
            if (outcome.kind() != Outcome.Kind.ABANDONED && !crashedBeforeRemoval) {
                violation("remove.vcpu-ran", "d" + d.domid + " vCPU " + v.vcpu + " (a removed incarnation) finished "
                        + outcome.op() + " as " + outcome.kind());
            }
            return false;
        }
        if (!v.opOutstanding) {
            violation("op.double-end", "d" + d.domid + " vCPU " + v.vcpu + " ended " + outcome.op() + " twice");
            return false;
        }
        v.opOutstanding = false;
        if (d.killed && (outcome.kind() == Outcome.Kind.DONE || outcome.kind() == Outcome.Kind.GP_FAULT)) {
            violation("kill.vcpu-ran", "d" + d.domid + " vCPU " + v.vcpu + " finished " + outcome.op()
                    + " after its domain was destroyed (domain_kill: the vCPUs never run again)");
        }
        if (outcome.op() instanceof GuestOp.Io io && outcome.kind() == Outcome.Kind.DONE && !io.isRead()
                && io.addr() == 0xCF8 && !io.mmio() && io.size() == 4) {
            v.lastCf8Write = io.data() & 0xFFFFFFFFL;
        }
        if (outcome.kind() == Outcome.Kind.DONE) {
            if (!v.inflight.isEmpty() && !outcome.buffered()) {
                violation("op.done-while-pending", "d" + d.domid + " vCPU " + v.vcpu + " finished " + outcome.op()
                        + " while its request to server " + v.inflight.get(0).server() + " is outstanding");
            }
            checkValue(d, v, outcome);
        }
        return true;
    }

    /** The operation's outcome is judged: its refusal is forgotten. */
    void settled(VcpuShadow v) {
        v.lastRefusal = null;
        v.lastRefusalCause = null;
    }

    /** A read's value must be what completion consumed (or all ones from the null handler, spec 5.1). */
    private void checkValue(DomainShadow d, VcpuShadow v, Outcome o) {
        if (!(o.op() instanceof GuestOp.Io io) || !io.isRead() || io.dataIsPtr() || v.lostServer || v.orphaned) {
            v.lastConsumedState = -1;
            return;
        }
        long mask = io.size() >= 8 ? -1L : (1L << (io.size() * 8)) - 1;
        String route = o.route().key();
        if (route.equals("null")) {
            if (o.value() != mask) {
                violation("value.null-handler", "d" + d.domid + " vCPU " + v.vcpu + " read 0x"
                        + Long.toHexString(o.value()) + " from the null handler (all ones expected)");
            }
        } else if (route.startsWith("server-") && v.lastConsumedState >= 0 && o.value() != (v.lastConsumed & mask)) {
            violation("value.wrong", "d" + d.domid + " vCPU " + v.vcpu + " read 0x" + Long.toHexString(o.value())
                    + " but completion consumed 0x" + Long.toHexString(v.lastConsumed));
        }
        v.lastConsumedState = -1;
    }

    /**
     * The emulator serving {@code ss} ran a step with {@code msg}: a {@link IoreqServer.Respond} it processed
     * wrote its data into the vCPU's slot (spec 7.2 step 4 and 6, 15 "write data; set IORESP_READY"), so that
     * data is what the emulator answered. The answer is taken when the emulator writes it, not when a client
     * asks for it: two clients of one emulator (the manual answerer and a misbehaving lane, spec 16 H8) may
     * both ask, in either order, and completion consumes whatever the slot holds (spec 7.3).
     */
    void emulatorStep(ServerShadow ss, Object msg) {
        if (msg instanceof IoreqServer.Respond r) {
            answered(ss, r.vcpu(), r.data());
        }
    }

    /** The emulator serving {@code ss} wrote {@code data} as vCPU {@code vcpu}'s answer (spec 7.2). */
    void answered(ServerShadow ss, int vcpu, long data) {
        if (ss != null && vcpu < Shadows.TRACKED_VCPUS) {
            ss.answered[vcpu] = data;
        }
    }
}
