package org.ioreqsim.sim.stress.monitor;

import java.util.HashMap;
import java.util.Map;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.RaceScenario;
import org.ioreqsim.sim.stress.StressOp;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.VcpuShadow;

/**
 * Servers and vCPUs coming and going (spec 10.2 create, 10.8 set_state, 10.9 destroy, 12 vCPU hooks
 * and domain destruction): keeps the shared server table in step with Xen's and records what a
 * lifecycle change leaves behind — orphaned vCPUs (H1), abandoned I/O (H3), requests under a disable
 * (H6), failed vCPU creations (H2 context), freed ports that may be handed out again.
 */
final class LifecycleChecker extends Checker {
    private final PermissionChecker permissions;
    private final PageChecker pages;
    private final PortChecker ports;
    /** The server each started emulator serves, by emulator key. */
    private final Map<String, ServerShadow> emulators = new HashMap<>();

    LifecycleChecker(Context ctx, PermissionChecker permissions, PageChecker pages, PortChecker ports) {
        super(ctx);
        this.permissions = permissions;
        this.pages = pages;
        this.ports = ports;
    }

    @Override
    void register(EventRouter router) {
        router.on(ModelEvent.ServerCreated.class, this::onCreated);
        router.on(ModelEvent.ServerDestroyed.class, (d, e) -> destroyed(d, e.serverId()));
        router.on(ModelEvent.ServerStateChanged.class, this::onStateChanged);
        router.on(ModelEvent.DomainKilled.class, (d, e) -> onKilled(d));
    }

    /** A step begins: forget the previous step's state changes and buffered sends. */
    void beforeStep() {
        if (!direct) {
            return;
        }
        for (DomainShadow ds : ctx.domains.values()) {
            ds.pagesResetThisStep.clear();
            for (ServerShadow s : ds.servers) {
                if (s != null) {
                    s.stateChangedThisStep = false;
                    s.bufferedThisStep = 0;
                }
            }
        }
    }

    /** Spec 10.2: create takes the lowest empty slot. */
    private void onCreated(DomainShadow d, ModelEvent.ServerCreated e) {
        if (!direct) {
            return;
        }
        if (d.servers[e.serverId()] != null) {
            violation("ids.double-allocation", "d" + d.domid + " created server " + e.serverId()
                    + " in a slot that holds a live server");
        }
        int first = options.legacyDefaultServer() ? 1 : 0;
        for (int id = first; id < e.serverId(); id++) {
            if (d.servers[id] == null && d.x.server(id) == null) {
                violation("ids.not-lowest", "d" + d.domid + " created server " + e.serverId() + " while slot " + id
                        + " was free (create takes the lowest empty slot)");
                break;
            }
        }
        ServerShadow ss = new ServerShadow(e.serverId(), ++d.generation, e.emulatorDomid());
        ss.createdStep = ctx.step();
        d.servers[e.serverId()] = ss;
        adopt(d, ss, d.x.server(e.serverId()));
        if (d.addVcpuOutstanding > 0) {
            cover(RaceScenario.VCPU_ADDED_DURING_CREATE);
        }
    }

    /** Adopts servers created or destroyed without an event, so that later checks see Xen's real table. */
    void sync(DomainShadow d) {
        for (int id = 0; id < Xen.MAX_NR_IOREQ_SERVERS; id++) {
            ServerView sv = d.x.server(id);
            ServerShadow ss = d.servers[id];
            if (sv != null && ss == null) {
                ss = new ServerShadow(id, ++d.generation, sv.emulatorDomid());
                d.servers[id] = ss;
                adopt(d, ss, sv);
            } else if (sv == null && ss != null) {
                destroyed(d, id);
            } else if (sv != null) {
                if (sv.enabled() != ss.enabled) {
                    violation("state.silent-change", "d" + d.domid + " server " + id + " became enabled="
                            + sv.enabled() + " without set_state");
                    ss.enabled = sv.enabled();
                }
                pages.trackPages(d, ss, sv);
            }
        }
    }

    private void adopt(DomainShadow d, ServerShadow ss, ServerView sv) {
        if (sv == null) {
            return;
        }
        ss.enabled = sv.enabled();
        pages.trackPages(d, ss, sv);
        for (RangeType t : RangeType.values()) {
            for (long[] r : sv.ranges(t)) {
                ss.ranges[t.code()].add(r[0], r[1]);
            }
        }
        for (int v : sv.entryVcpuIds()) {
            ss.addPort(sv.entryPort(v));
        }
        if (sv.bufioreqPort() > 0) {
            ss.addPort(sv.bufioreqPort());
        }
    }

    /** Server {@code id} was destroyed (or vanished from Xen's table): spec 10.9, H1, H3. */
    void destroyed(DomainShadow d, int id) {
        ServerShadow ss = direct ? d.servers[id] : null;
        boolean dying = d.killed || (d.x != null && (d.x.state() == DomainState.DYING || d.x.state() == DomainState.DEAD));
        if (direct && ss == null) {
            violation("destroy.unknown", "d" + d.domid + " destroyed server " + id + " which the monitors never saw");
            return;
        }
        permissions.checkDestroyPaused(d, id, dying);
        int generation = ss == null ? 0 : ss.generation;
        for (VcpuShadow v : d.vcpus.values()) {
            if (!v.inflightAt(id, generation)) {
                continue;
            }
            if (ss != null && v.vcpu < Shadows.TRACKED_VCPUS && ss.slot[v.vcpu] == IoreqState.INPROCESS) {
                cover(RaceScenario.DESTROY_WHILE_INPROCESS);
            }
            v.remove(id, generation);
            if (dying) {
                finding("H3", "d" + d.domid + " destroyed while vCPU " + v.vcpu + " waited on server " + id);
                cover(RaceScenario.DOMAIN_DESTROYED_DURING_IO);
                continue;
            }
            v.lostServer = true;
            if (v.inflight.isEmpty()) {
                v.orphaned = true;
                v.staleLatch = true;
                finding("H1", "d" + d.domid + " vCPU " + v.vcpu + " orphaned by the destruction of server " + id);
            } else {
                finding("H1", "d" + d.domid + " vCPU " + v.vcpu + " lost server " + id + " of its broadcast; a wake-up "
                        + "consumed while it waited there is not repeated");
            }
        }
        if (!dying) {
            d.portChurn = true;
        }
        if (ss != null) {
            ss.emulatorEnd = ss.emulatorEnd == null ? "server destroyed" : ss.emulatorEnd;
            if (ss.page != null) {
                d.pagesResetThisStep.add(ss.page);
            }
            if (ss.bufPage != null) {
                // the disable clears the buffered page too, which H14 may have made another's synchronous page
                d.pagesResetThisStep.add(ss.bufPage);
            }
            d.servers[id] = null;
            ports.released(d, ss);
        }
    }

    /** Spec 10.8 and 11.3: set_state; a disable leaves in-flight requests waiting (H6). */
    private void onStateChanged(DomainShadow d, ModelEvent.ServerStateChanged e) {
        if (!direct) {
            return;
        }
        ServerShadow ss = d.servers[e.serverId()];
        if (ss == null) {
            return;
        }
        ServerView sv = d.x.server(e.serverId());
        if (!e.enabled() && ss.enabled) {
            if (ss.bufPage != null && ss.wp != ss.rp) {
                cover(RaceScenario.DISABLE_WITH_BUFFERED_PENDING);
            }
            for (VcpuShadow v : d.vcpus.values()) {
                if (v.inflightAt(ss.id, ss.generation)) {
                    finding("H6", "d" + d.domid + " server " + ss.id + " disabled while vCPU " + v.vcpu
                            + " waits for it");
                }
            }
        }
        if (e.enabled() && !ss.enabled && sv != null && sv.ioreqPage() == null) {
            ss.enabledWithoutPage = true;
        }
        if (sv != null && sv.enabled() != e.enabled()) {
            violation("state.not-applied", "d" + d.domid + " server " + e.serverId() + " reported enabled="
                    + e.enabled() + " but is " + sv.enabled());
        }
        ss.enabled = e.enabled();
        ss.stateChangedThisStep = true;
    }

    /** Spec 12, H3: domain_kill abandons every request in flight. */
    private void onKilled(DomainShadow d) {
        boolean io = false;
        for (VcpuShadow v : d.vcpus.values()) {
            if (!v.inflight.isEmpty()) {
                io = true;
                finding("H3", "d" + d.domid + " destroyed while vCPU " + v.vcpu + " waited on server "
                        + v.inflight.get(0).server());
            }
            v.inflight.clear();
            v.orphaned = false;
            v.staleLatch = false;
        }
        if (io) {
            cover(RaceScenario.DOMAIN_DESTROYED_DURING_IO);
        }
        d.killed = true;
    }

    /** A lane began an operation. */
    void laneOpStarted(DomainShadow d, StressOp op) {
        if (op instanceof StressOp.AddVcpu) {
            d.addVcpuOutstanding++;
            if (d.startsOutstanding > 0) {
                cover(RaceScenario.VCPU_ADDED_DURING_CREATE);
            }
        } else if (op instanceof StressOp.Start) {
            d.startsOutstanding++;
        } else if (op instanceof StressOp.Crash && d.x != null && d.x.state() == DomainState.RUNNING) {
            cover(RaceScenario.EMULATOR_DIES_FIRST);
        }
    }

    /** A lane's operation finished with {@code result} (null if it was skipped or its target went away). */
    void laneOpDone(DomainShadow d, StressOp op, Result<?> result) {
        if (op instanceof StressOp.AddVcpu) {
            d.addVcpuOutstanding--;
            if (result != null && !result.isOk() && d.x != null && result.errnoOrNull() != Errno.EINVAL) {
                int id = 0;
                while (d.x.hasVcpu(id)) {
                    id++;
                }
                d.failedAdds.add(id);
            }
        } else if (op instanceof StressOp.Start) {
            d.startsOutstanding--;
        } else if (op instanceof StressOp.RemoveVcpu r && result != null && result.isOk()) {
            d.portChurn = true;
            VcpuShadow v = d.vcpu(r.vcpu());
            for (ServerShadow s : d.servers) {
                if (s != null && r.vcpu() < Shadows.TRACKED_VCPUS && s.slot[r.vcpu()] != IoreqState.NONE) {
                    s.dirtyFromRemovedVcpu[r.vcpu()] = true;
                }
            }
            v.inflight.clear();
            v.orphaned = false;
            v.staleLatch = false;
            v.incarnation++;
        }
    }

    /** Emulator {@code key} finished starting for server {@code serverId} of {@code d}. */
    void emulatorStarted(String key, DomainShadow d, int serverId) {
        ServerShadow ss = direct && serverId >= 0 ? d.servers[serverId] : null;
        if (ss != null) {
            ss.emulatorAlive = true;
            ss.emulatorKey = key;
            ss.emulatorEnd = null;
            emulators.put(key, ss);
        }
    }

    /** Emulator {@code key} is gone (crashed, failed, or exited). */
    void emulatorGone(String key, String how) {
        ServerShadow ss = emulators.remove(key);
        if (ss != null && ss.emulatorAlive) {
            ss.emulatorAlive = false;
            ss.emulatorEnd = how;
        }
    }

    /** The server emulator {@code key} serves, or null. */
    ServerShadow emulator(String key) {
        return emulators.get(key);
    }

    /** The servers of the emulators still running, by emulator key (a server may be gone from Xen). */
    Map<String, ServerShadow> runningEmulators() {
        return emulators;
    }
}
