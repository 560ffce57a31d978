package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw bound's client (the vCPU's place): a closed loop that sends one request, waits for the
 * reply, records the latency and sends the next, until the deadline. No model logic.
 */
final class RawClient extends AbstractBehavior<RawClient.Command> {

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
        return Behaviors.setup(ctx -> new RawClient(ctx, id, router, slots, latencies, deadline, done));
    }

    private final int id;
    private final ActorRef<RawRouter.Command> router;
    private final long[] slots;
    private final Latencies latencies;
    private final AtomicLong deadline;
    private final CountDownLatch done;
    private long startedAt;
    private long sum;

    private RawClient(ActorContext<Command> ctx, int id, ActorRef<RawRouter.Command> router, long[] slots,
                      Latencies latencies, AtomicLong deadline, CountDownLatch done) {
        super(ctx);
        this.id = id;
        this.router = router;
        this.slots = slots;
        this.latencies = latencies;
        this.deadline = deadline;
        this.done = done;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Start.class, m -> next())
                .onMessage(Reply.class, this::onReply)
                .build();
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
        return this;
    }
}
