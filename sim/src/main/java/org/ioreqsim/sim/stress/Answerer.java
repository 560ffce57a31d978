package org.ioreqsim.sim.stress;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.server.IoreqServer;

/**
 * The answering half of a manual emulator client, one request at a time as QEMU's single thread does:
 * on a pending request it takes it — READY to INPROCESS — and, in a later step (after an optional
 * virtual delay, a slow device), answers it with a value derived from the request. The monitors take
 * the answer from the emulator's step that writes it and compare it with what the vCPU consumes. The delay holds the request INPROCESS while the rest of the
 * world goes on: that is when a destroy, a disable or an unmap races with it.
 */
final class Answerer extends AbstractBehavior<Answerer.Msg> {

    sealed interface Msg {
    }

    /** vCPU {@code vcpu} has a READY request. */
    record Pending(int vcpu) implements Msg {
    }

    private record Reply(Result<Ioreq> result) implements Msg {
    }

    private enum Due implements Msg {
        INSTANCE
    }

    static Behavior<Msg> create(ActorRef<IoreqServer.Command> emulator, int delayMs) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new Answerer(ctx, t, emulator, delayMs)));
    }

    private final TimerScheduler<Msg> timers;
    private final ActorRef<IoreqServer.Command> emulator;
    private final int delayMs;
    private final ActorRef<Result<Ioreq>> replies;
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private int busy = -1;
    private boolean taken;
    private Ioreq request;

    @SuppressWarnings("unchecked")
    private Answerer(ActorContext<Msg> ctx, TimerScheduler<Msg> timers, ActorRef<IoreqServer.Command> emulator,
                     int delayMs) {
        super(ctx);
        this.timers = timers;
        this.emulator = emulator;
        this.delayMs = delayMs;
        this.replies = (ActorRef<Result<Ioreq>>) (ActorRef<?>) ctx.messageAdapter(Result.class, r -> new Reply(r));
    }

    @Override
    public Receive<Msg> createReceive() {
        return newReceiveBuilder()
                .onMessage(Pending.class, this::onPending)
                .onMessage(Due.class, m -> respond())
                .onMessage(Reply.class, this::onReply)
                .build();
    }

    private Behavior<Msg> onPending(Pending m) {
        if (m.vcpu() != busy && !queue.contains(m.vcpu())) {
            queue.add(m.vcpu());
        }
        return busy < 0 ? startNext() : this;
    }

    private Behavior<Msg> startNext() {
        Integer v = queue.poll();
        if (v == null) {
            busy = -1;
            return this;
        }
        busy = v;
        taken = false;
        emulator.tell(new IoreqServer.Take(busy, replies));
        return this;
    }

    private Behavior<Msg> respond() {
        long data = answerFor(request);
        emulator.tell(new IoreqServer.Respond(busy, data, replies));
        return this;
    }

    private Behavior<Msg> onReply(Reply m) {
        if (!taken && m.result().isOk()) {
            taken = true;
            request = m.result().value();
            if (delayMs > 0) {
                timers.startSingleTimer(Due.INSTANCE, Duration.ofMillis(delayMs));
                return this;
            }
            return respond();
        }
        return startNext();
    }

    /** A read's answer: a mix of the request's address and size, so mix-ups between slots show. */
    static long answerFor(Ioreq req) {
        long h = req.addr() * 0x9E3779B97F4A7C15L ^ req.size() * 0xC2B2AE3D27D4EB4FL ^ req.type().code();
        return h ^ (h >>> 29);
    }
}
