package org.ioreqsim.ioreq.evtchn;

import akka.actor.typed.ActorRef;
import java.util.Objects;

/**
 * Where a port's events go: an actor and the message that tells it "this port fired". For an
 * emulator's port this is its event-channel device (an upcall); for a Xen-attached port it is Xen's
 * default consumer action, "wake the notify vCPU if it is blocked in Xen".
 *
 * <p>The message is built once, when the port is bound, so delivering an event allocates nothing and
 * the event-channel model never names the receiver's protocol.
 */
public record EventChannelConsumer<T>(ActorRef<T> actor, T message) {

    public EventChannelConsumer {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(message, "message");
    }

    public void deliver() {
        actor.tell(message);
    }
}
