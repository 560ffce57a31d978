package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;

/**
 * The raw bound's router (the domain's place): takes a request message (allocated per request, as a
 * vCPU's EmulateIo is), stores its payload in the client's shared slot and hands the server a message
 * built once per client. No model logic.
 */
final class RawRouter extends AbstractBehavior<RawRouter.Command> {

    sealed interface Command {
    }

    /** One request of client {@code client}. */
    record Request(int client, long payload) implements Command {
    }

    static Behavior<Command> create(ActorRef<RawServer.Command> server, long[] slots) {
        return Behaviors.setup(ctx -> new RawRouter(ctx, server, slots));
    }

    private final ActorRef<RawServer.Command> server;
    private final long[] slots;
    private final RawServer.Work[] work;

    private RawRouter(ActorContext<Command> ctx, ActorRef<RawServer.Command> server, long[] slots) {
        super(ctx);
        this.server = server;
        this.slots = slots;
        this.work = new RawServer.Work[slots.length];
        for (int i = 0; i < work.length; i++) {
            work[i] = new RawServer.Work(i);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Request.class, this::onRequest)
                .build();
    }

    private Behavior<Command> onRequest(Request m) {
        slots[m.client()] = m.payload();
        server.tell(work[m.client()]);
        return this;
    }
}
