package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ExtensibleBehavior;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw bound's client (the vCPU's place): a closed loop that sends one request, waits for the
 * reply, records the latency and sends the next, until the deadline. No model logic. Dispatches as the
 * simulator's vCPU does (an {@link ExtensibleBehavior}); the router and server, like the domain and the
 * emulator, are {@code AbstractBehavior}s.
 */
final class RawClient extends ExtensibleBehavior<RawClient.Command> {

    sealed interface Command {
    }

    enum Start implements Command {
        INSTANCE
    }

    /** The server's answer is in the slot (built once per client). */
    record Reply(int client) implements Command {
    }

    static Behavior<Command> create(int id, ActorRef<RawRouter.Command> router, long[] slots, Latencies latencies,
                                    AtomicLong deadline, CountDownLatch done) {
        return new RawClient(id, router, slots, latencies, deadline, done);
    }

    private final int id;
    private final ActorRef<RawRouter.Command> router;
    private final long[] slots;
    private final Latencies latencies;
    private final AtomicLong deadline;
    private final CountDownLatch done;
    private long startedAt;
    private long sum;

    private RawClient(int id, ActorRef<RawRouter.Command> router, long[] slots, Latencies latencies,
                      AtomicLong deadline, CountDownLatch done) {
        this.id = id;
        this.router = router;
        this.slots = slots;
        this.latencies = latencies;
        this.deadline = deadline;
        this.done = done;
    }

    @Override
    public Behavior<Command> receive(TypedActorContext<Command> ctx, Command msg) {
        if (msg instanceof Reply m) {
            return onReply(m);
        } else if (msg == Start.INSTANCE) {
            return next();
        }
        return Behaviors.unhandled();
    }

    @Override
    public Behavior<Command> receiveSignal(TypedActorContext<Command> ctx, Signal signal) {
        return Behaviors.unhandled();
    }

    private Behavior<Command> onReply(Reply m) {
        sum += slots[id];
        latencies.record(System.nanoTime() - startedAt);
        return next();
    }

    private Behavior<Command> next() {
        long now = System.nanoTime();
        if (now >= deadline.get()) {
            done.countDown();
            return Behaviors.stopped();
        }
        startedAt = now;
        router.tell(new RawRouter.Request(id, sum + now));
        return Behaviors.same();
    }
}
