package org.ioreqsim.sim.stress.monitor;

import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.InFlight;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.VcpuShadow;
import org.ioreqsim.vcpu.GuestOp;

/**
 * Liveness, once nothing can run and no timer is due (spec 16, 17): every lane has finished, no pause
 * is left in force, every vCPU is done or blocked for a reason the spec gives — orphaned (H1), a dropped
 * page (H11), its emulator gone (H21), never bound (H18), its port handed to another (PORT-REUSE), a
 * zeroed slot (H6), an emulator's deviation (EMU), an injected fault (FAULT).
 */
final class LivenessChecker extends Checker {
    /** What each lane waits for. */
    private final Map<String, Object> lanesWaiting = new TreeMap<>();
    private int lanesFinished;
    private int lost;
    private int duplicated;
    private int delayed;

    LivenessChecker(Context ctx) {
        super(ctx);
    }

    @Override
    void register(EventRouter router) {
        // judges at quiescence only
    }

    void laneWaiting(String lane, Object what) {
        lanesWaiting.put(lane, what);
    }

    void laneDone(String lane) {
        lanesWaiting.remove(lane);
    }

    void laneFinished(String lane) {
        lanesWaiting.remove(lane);
        lanesFinished++;
    }

    int lanesFinished() {
        return lanesFinished;
    }

    /** A vCPU is running guest code for a while (a {@code Think}): its timer is still to fire. */
    boolean anyVcpuThinking() {
        for (DomainShadow d : ctx.domains.values()) {
            if (d.killed || d.crashed) {
                continue; // its vCPUs run no more guest code
            }
            for (VcpuShadow v : d.vcpus.values()) {
                if (v.opOutstanding && v.currentOp instanceof GuestOp.Think) {
                    return true;
                }
            }
        }
        return false;
    }

    void faultInjected(String kind) {
        switch (kind) {
            case "lost" -> lost++;
            case "dup" -> duplicated++;
            default -> delayed++;
        }
    }

    /** Injected faults so far: lost, duplicated, delayed. */
    int[] faults() {
        return new int[] {lost, duplicated, delayed};
    }

    private boolean faulted() {
        return lost + delayed + duplicated > 0;
    }

    /** Nothing is runnable and no timer is due. */
    void atQuiescence() {
        for (Map.Entry<String, Object> e : lanesWaiting.entrySet()) {
            violation("liveness.lane-stuck", "lane " + e.getKey() + " never got an answer to " + e.getValue());
        }
        for (DomainShadow d : ctx.domains.values()) {
            if (d.x == null || d.killed || d.x.state() == DomainState.DEAD || d.x.state() == DomainState.DYING) {
                continue;
            }
            if (direct && d.x.pauseCount() != 0 && d.x.state() == DomainState.RUNNING) {
                violation("liveness.pause-never-ended", "d" + d.domid + " is still paused (count "
                        + d.x.pauseCount() + ") with nothing left to run");
            }
            if (d.x.state() != DomainState.RUNNING) {
                continue;
            }
            for (VcpuShadow v : d.vcpus.values()) {
                if (!v.opOutstanding || !d.x.hasVcpu(v.vcpu)) {
                    continue;
                }
                explainBlocked(d, v);
            }
        }
    }

    private void explainBlocked(DomainShadow d, VcpuShadow v) {
        String who = "d" + d.domid + " vCPU " + v.vcpu + " (" + v.currentOp + ")";
        if (!d.x.sentToServer(v.vcpu)) {
            if (faulted()) {
                finding("FAULT", who + " stalled after injected notification faults");
                return;
            }
            violation("liveness.op-lost", who + " never got an answer from its domain");
            return;
        }
        if (v.orphaned) {
            finding("H1", who + " blocked forever: orphaned (its server was destroyed while it waited)");
            return;
        }
        if (v.inflight.isEmpty()) {
            violation("liveness.blocked-without-request", who + " is blocked in Xen but has no request outstanding");
            return;
        }
        InFlight f = v.inflight.get(0);
        ServerShadow ss = direct ? d.servers[f.server()] : null;
        if (ss == null) {
            return;
        }
        int vi = Math.min(v.vcpu, Shadows.TRACKED_VCPUS - 1);
        ServerView sv = d.x.server(ss.id);
        EventChannel port = sv == null || d.table == null ? null : d.table.port(sv.entryPort(v.vcpu));
        if (v.lostServer) {
            finding("H1", who + " blocked forever: a server it waited on was destroyed, and the wake-up from server "
                    + ss.id + " came while it still waited there");
        } else if (ss.pageDropped) {
            finding("H11", who + " blocked on server " + ss.id + " whose page a failed acquire_resource dropped");
        } else if (!ss.emulatorAlive && ss.emulatorEnd != null) {
            finding("H21", who + " blocked forever on server " + ss.id + " whose emulator is gone (" + ss.emulatorEnd
                    + ")");
        } else if (port != null && port.state() == EventChannel.State.UNBOUND) {
            finding("H18", who + " blocked forever on server " + ss.id + ": the emulator never bound port "
                    + port.port());
        } else if (port != null && port.state() == EventChannel.State.INTERDOMAIN && d.portChurn) {
            finding("PORT-REUSE", who + " blocked on server " + ss.id + ": its port " + port.port() + " was bound, "
                    + "but ports had been freed and handed out again, so the binding may be another emulator's");
        } else if (port != null && port.state() == EventChannel.State.INTERDOMAIN && boundByAnother(port, ss)) {
            finding("EMU", who + " blocked on server " + ss.id + ": its port " + port.port() + " is bound by another"
                    + " emulator of d" + port.remoteDomid() + ", which read a vp_eport that was not its own");
        } else if (ss.zeroedUnderRequest[vi]) {
            finding("H6", who + " blocked forever on server " + ss.id + ": disable zeroed its slot, so its emulator "
                    + "saw nothing to answer and nothing wakes it");
        } else if (ss.emulatorMisbehaved[vi]) {
            finding("EMU", who + " blocked on server " + ss.id + " after its emulator broke the protocol");
        } else if (faulted()) {
            finding("FAULT", who + " blocked on server " + ss.id + " after injected notification faults");
        } else if (!ss.emulatorAlive && ss.emulatorKey == null) {
            finding("H21", who + " blocked forever on server " + ss.id + " which no emulator serves");
        } else {
            violation("liveness.vcpu-blocked", who + " is blocked on server " + ss.id + " (slot "
                    + (ss.page == null ? "no page" : IoreqState.name(ss.slot[vi])) + ") whose emulator is alive and bound");
        }
    }

    /**
     * Whether Xen's port {@code port} of server {@code ss} is bound to an emulator other than the server's:
     * two emulators of one domain may each bind any port Xen allocated for that domain, so one that reads
     * another server's port as its own takes it (its upcalls then go to the wrong emulator).
     */
    private boolean boundByAnother(EventChannel port, ServerShadow ss) {
        if (ctx.host == null || ss.emulatorKey == null) {
            return false;
        }
        var table = ctx.host.eventChannels(port.remoteDomid());
        EventChannel local = table == null ? null : table.port(port.remotePort());
        var consumer = local == null ? null : local.consumerActor();
        return consumer != null && !consumer.path().toStringWithoutAddress().endsWith("/" + ss.emulatorKey);
    }
}
