package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The raw buffered reference's producer (the vCPU's place): writes in a closed loop until the deadline. */
final class QueueProducer extends AbstractBehavior<QueueProducer.Command> {

    sealed interface Command {
    }

    enum Start implements Command {
        INSTANCE
    }

    /** The router took the write (built once per producer). */
    record Ack(int producer) implements Command {
    }

    static Behavior<Command> create(int id, ActorRef<QueueRouter.Command> router, Latencies latencies,
                                    AtomicLong deadline, CountDownLatch done) {
        return Behaviors.setup(ctx -> new QueueProducer(ctx, id, router, latencies, deadline, done));
    }

    private final int id;
    private final ActorRef<QueueRouter.Command> router;
    private final Latencies latencies;
    private final AtomicLong deadline;
    private final CountDownLatch done;
    private long startedAt;

    private QueueProducer(ActorContext<Command> ctx, int id, ActorRef<QueueRouter.Command> router,
                          Latencies latencies, AtomicLong deadline, CountDownLatch done) {
        super(ctx);
        this.id = id;
        this.router = router;
        this.latencies = latencies;
        this.deadline = deadline;
        this.done = done;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Ack.class, this::onAck)
                .onMessage(Start.class, m -> next())
                .build();
    }

    private Behavior<Command> onAck(Ack m) {
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
        router.tell(new QueueRouter.Write(id, now));
        return this;
    }
}
