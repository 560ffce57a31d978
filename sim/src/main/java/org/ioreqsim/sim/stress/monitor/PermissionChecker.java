package org.ioreqsim.sim.stress.monitor;

import org.ioreqsim.domain.Domain;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.ActorKey;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;

/**
 * Who may change a server, and under which pause (spec 10.1: every dm_op but create looks the server
 * up, then -EPERM unless the caller is its emulator domain; 10.2, 10.8, 10.9: create, set_state and
 * destroy run with the target paused; 1 and 17: while paused no vCPU runs guest work).
 */
final class PermissionChecker extends Checker {

    PermissionChecker(Context ctx) {
        super(ctx);
    }

    @Override
    void register(EventRouter router) {
        router.on(ModelEvent.ServerCreated.class, this::onCreated);
        router.on(ModelEvent.ServerStateChanged.class, this::onStateChanged);
    }

    /**
     * Spec 10.1: a server's state, ranges and existence change by dm_op only at the request of the
     * domain that created it; {@code domain_kill} destroys without a caller. Called for every event.
     */
    void checkOwner(DomainShadow d, ModelEvent e) {
        if (!direct || !(ctx.message instanceof Domain.DmOpRequest op)) {
            return;
        }
        int id = e instanceof ModelEvent.ServerStateChanged c ? c.serverId()
                : e instanceof ModelEvent.RangeChanged r ? r.serverId()
                : e instanceof ModelEvent.ServerDestroyed x ? x.serverId() : -1;
        ServerShadow sv = id >= 0 && id < d.servers.length ? d.servers[id] : null;
        if (sv != null && sv.emulatorDomid != op.callerDomid()) {
            violation("dmop.not-owner", "d" + d.domid + " server " + id + " changed by " + op.op().getClass().getSimpleName()
                    + " from d" + op.callerDomid() + ", but it belongs to d" + sv.emulatorDomid
                    + " (spec 10: -EPERM for any other caller)");
        }
    }

    /** Spec 10.2: create pauses the domain. */
    private void onCreated(DomainShadow d, ModelEvent.ServerCreated e) {
        if (direct && !d.x.pauseInEffect()) {
            violation("pause.create-unpaused", "d" + d.domid + " created server " + e.serverId()
                    + " while its vCPUs were running (create pauses the domain)");
        }
    }

    /** Spec 10.8: set_state pauses the domain. */
    private void onStateChanged(DomainShadow d, ModelEvent.ServerStateChanged e) {
        if (direct && !d.x.pauseInEffect()) {
            violation("pause.set-state-unpaused", "d" + d.domid + " changed the state of server " + e.serverId()
                    + " while its vCPUs were running (set_state pauses the domain)");
        }
    }

    /** Spec 10.9: destroy pauses the domain (domain_kill's destroys, 12, do not). */
    void checkDestroyPaused(DomainShadow d, int id, boolean dying) {
        if (direct && !dying && !d.x.pauseInEffect()) {
            violation("pause.destroy-unpaused", "d" + d.domid + " destroyed server " + id
                    + " while its vCPUs were running (destroy pauses the domain)");
        }
    }

    /** While every vCPU has acknowledged a pause, no vCPU may finish or start guest work. */
    void checkPausedVcpu() {
        ActorKey actor = ctx.actor;
        if (actor.kind() != ActorKey.Kind.VCPU || !ctx.pausedBefore) {
            return;
        }
        for (ModelEvent e : ctx.stepEvents) {
            if (e instanceof ModelEvent.OperationEnded o && o.vcpu() == actor.vcpu()
                    && (o.kind().equals("DONE") || o.kind().equals("GP_FAULT"))) {
                violation("pause.vcpu-ran", "d" + actor.domid() + " vCPU " + actor.vcpu() + " finished an operation while "
                        + "its domain was paused");
            }
        }
    }
}
