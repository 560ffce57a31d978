package org.ioreqsim.domain;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import java.util.function.Function;
import org.ioreqsim.ioreq.HotPathReceive;
import org.ioreqsim.vcpu.DomainMessage;
import org.ioreqsim.vcpu.VcpuRequest;

/**
 * A domain while a first {@code domain_pause} waits for every vCPU to acknowledge. The ioreq lock is
 * held, so commands wait in the stash behind the {@link PausedWork} that asked for the pause; vCPU
 * requests are still served, as a vCPU already inside Xen finishes its step before it is descheduled.
 * The last acknowledgement (or the failure of the last vCPU awaited) returns to {@code running} and
 * unstashes, that work first.
 */
final class DomainPausing extends AbstractBehavior<DomainMessage> {

    private final StashBuffer<DomainMessage> stash;
    private final DomainPause pause;
    private final VcpuRequests requests;
    private final Behavior<DomainMessage> running;
    private final Function<VcpuRequest.VcpuFailed, Behavior<DomainMessage>> vcpuFailed;

    DomainPausing(ActorContext<DomainMessage> context, StashBuffer<DomainMessage> stash, DomainPause pause,
                  VcpuRequests requests, Behavior<DomainMessage> running,
                  Function<VcpuRequest.VcpuFailed, Behavior<DomainMessage>> vcpuFailed) {
        super(context);
        this.stash = stash;
        this.pause = pause;
        this.requests = requests;
        this.running = running;
        this.vcpuFailed = vcpuFailed;
    }

    @Override
    public Receive<DomainMessage> createReceive() {
        // The per-ioreq message bypasses the built receive (see HotPathReceive).
        return HotPathReceive.of(VcpuRequest.EmulateIo.class, requests::onEmulateIo, newReceiveBuilder()
                .onMessage(VcpuRequest.SendTimeoffset.class, requests::onSendTimeoffset)
                .onMessage(VcpuRequest.SendInvalidate.class, requests::onSendInvalidate)
                .onMessage(VcpuRequest.PauseAcked.class, this::onPauseAcked)
                .onMessage(VcpuRequest.CrashDomain.class, requests::onCrashDomain)
                .onMessage(VcpuRequest.VcpuFailed.class, vcpuFailed::apply)
                .onMessage(Domain.Command.class, this::onStashed)
                .onMessage(PausedWork.class, this::onStashed)
                .build());
    }

    private Behavior<DomainMessage> onStashed(DomainMessage m) {
        stash.stash(m);
        return Behaviors.same();
    }

    private Behavior<DomainMessage> onPauseAcked(VcpuRequest.PauseAcked m) {
        return pause.acked(m.vcpuId(), m.epoch()) ? stash.unstashAll(running) : Behaviors.same();
    }
}
