package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.stream.BoundedSourceQueue;
import java.util.List;

/**
 * The raw buffered reference's router (the domain's place): offers each write to a bounded Akka
 * Streams queue of 511 elements (the ring's size) and acknowledges at once, whether the queue took it
 * or was full, as Xen answers a buffered write before any emulator sees it. No model logic.
 */
final class QueueRouter extends AbstractBehavior<QueueRouter.Command> {

    sealed interface Command {
    }

    /** One write by producer {@code producer}. */
    record Write(int producer, long value) implements Command {
    }

    /** The producers to acknowledge, in order. */
    record Wire(List<ActorRef<QueueProducer.Command>> producers) implements Command {
    }

    static Behavior<Command> create(BoundedSourceQueue<Long> queue) {
        return Behaviors.setup(ctx -> new QueueRouter(ctx, queue));
    }

    private final BoundedSourceQueue<Long> queue;
    private List<ActorRef<QueueProducer.Command>> producers = List.of();
    private QueueProducer.Ack[] acks;

    private QueueRouter(ActorContext<Command> ctx, BoundedSourceQueue<Long> queue) {
        super(ctx);
        this.queue = queue;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Write.class, this::onWrite)
                .onMessage(Wire.class, this::onWire)
                .build();
    }

    private Behavior<Command> onWrite(Write m) {
        queue.offer(m.value());
        producers.get(m.producer()).tell(acks[m.producer()]);
        return this;
    }

    private Behavior<Command> onWire(Wire m) {
        producers = m.producers();
        acks = new QueueProducer.Ack[producers.size()];
        for (int i = 0; i < acks.length; i++) {
            acks[i] = new QueueProducer.Ack(i);
        }
        return this;
    }
}
