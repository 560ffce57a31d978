package org.ioreqsim.sim.exec;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import java.util.Queue;

/** An actor that only keeps what it receives, for a deterministic driver to read between steps. */
public final class Inbox<T> {
    private final Queue<T> received = new ArrayDeque<>();

    public Behavior<T> behavior() {
        return Behaviors.receiveMessage(m -> {
            received.add(m);
            return Behaviors.same();
        });
    }

    /** The oldest message not yet taken, or {@code null}. */
    public T poll() {
        return received.poll();
    }

    public boolean isEmpty() {
        return received.isEmpty();
    }
}
