package org.ioreqsim.domain;

import akka.Done;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;

/**
 * A domain's way out: {@code domain_shutdown} and {@code domain_kill} ({@code d->is_dying}:
 * {@code DOMDYING_alive -> DOMDYING_dying -> DOMDYING_dead}). {@link Domain} runs the kill paused
 * ({@code domain_pause(d)} first, xen/common/domain.c) and answers for the running behaviour.
 */
final class DomainDying {

    private final int domid;
    private final DomainRunState run;
    private final IoreqServers servers;
    private final DmOps dmOps;
    private final DomainVcpus vcpus;
    private final EventChannelTable evtchn;
    private final ModelTracer tracer;

    DomainDying(int domid, DomainRunState run, IoreqServers servers, DmOps dmOps, DomainVcpus vcpus,
                EventChannelTable evtchn, ModelTracer tracer) {
        this.domid = domid;
        this.run = run;
        this.servers = servers;
        this.dmOps = dmOps;
        this.vcpus = vcpus;
        this.evtchn = evtchn;
        this.tracer = tracer;
    }

    /** {@code domain_shutdown}. */
    void shutdown(Domain.Shutdown m) {
        run.shutdown();
        m.replyTo().tell(Done.getInstance());
    }

    /**
     * {@code domain_kill}, once the domain is paused: vCPUs stop, every port closes (emulators' ends become
     * UNBOUND), every server goes. The pause is never released. The vCPU actors are stopped rather than
     * told, so that nothing already queued for them (an emulator's wake-up) runs guest code again:
     * domain_kill pauses the domain first and its vCPUs never run again.
     */
    void kill(PausedWork.DomainKill w) {
        startKill();
        if (run.state() == DomainState.DYING) {
            servers.destroyAll();
            dmOps.grantTable().destroy();
            run.dead();
            if (tracer.enabled()) {
                tracer.event(new ModelEvent.DomainKilled(domid));
            }
        }
        w.command().replyTo().tell(new Domain.Killed(domid));
    }

    /** {@code domain_kill} up to its preemption in relinquish: the servers stay until a Kill. */
    void killPreempted(PausedWork.DomainKillPreempted w) {
        startKill();
        w.command().replyTo().tell(Done.getInstance());
    }

    /** {@code DOMDYING_alive -> DOMDYING_dying}: dying, vCPUs stopped, {@code evtchn_destroy}. */
    private void startKill() {
        if (!run.isDying()) {
            run.dying();
            servers.setDying();
            vcpus.stopAll();
            vcpus.clear();
            evtchn.destroyAll();
        }
    }
}
