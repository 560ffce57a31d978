package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;

/**
 * The raw bound's server: takes a request from its router's shared slot array, answers in the same
 * slot and wakes the client with a reply message built once per client (as an emulator's event-channel
 * send delivers a message built once per port). No model logic.
 */
final class RawServer extends AbstractBehavior<RawServer.Command> {

    sealed interface Command {
    }

    /** Serve client {@code client}'s slot (built once per client, as an upcall is built once per port). */
    record Work(int client) implements Command {
    }

    /** The clients to answer, in slot order. */
    record Wire(List<ActorRef<RawClient.Command>> clients) implements Command {
    }

    static Behavior<Command> create(long[] slots) {
        return Behaviors.setup(ctx -> new RawServer(ctx, slots));
    }

    private final long[] slots;
    private List<ActorRef<RawClient.Command>> clients = List.of();
    private RawClient.Reply[] replies;

    private RawServer(ActorContext<Command> ctx, long[] slots) {
        super(ctx);
        this.slots = slots;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Work.class, this::onWork)
                .onMessage(Wire.class, this::onWire)
                .build();
    }

    private Behavior<Command> onWork(Work m) {
        int c = m.client();
        slots[c] = ~slots[c];
        clients.get(c).tell(replies[c]);
        return this;
    }

    private Behavior<Command> onWire(Wire m) {
        clients = m.clients();
        replies = new RawClient.Reply[clients.size()];
        for (int i = 0; i < replies.length; i++) {
            replies[i] = new RawClient.Reply(i);
        }
        return this;
    }
}
