package org.ioreqsim.sim.exec;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.ioreqsim.sim.SimulationException;

/**
 * A {@link ControlledSystem} driven to quiescence after every input: scripts send a message (or ask),
 * then every runnable actor runs, one message per step in the executor's key order, until nothing is
 * left; virtual time moves only when told. The same inputs always give the same outputs. The stress
 * harness drives the same system step by step with a seeded strategy instead.
 *
 * <p>Actors are spawned under a {@link SpawnProtocol} world ({@code /user/world/<name>}).
 */
public final class DeterministicRuntime implements Spawner, AutoCloseable {
    /** A far-off timeout for asks: virtual time never reaches it unless a script advances it that far. */
    private static final Duration ASK = Duration.ofDays(365);
    /** Steps after which a drain gives up: a livelock in the model would otherwise never end. */
    private static final long MAX_STEPS = 50_000_000L;

    private final ControlledSystem controlled;
    private final ActorRef<SpawnProtocol.Command> spawner;
    private long steps;

    public DeterministicRuntime(String name) {
        controlled = new ControlledSystem(name);
        controlled.startWorld(SpawnProtocol.create());
        drain();
        spawner = controlled.world();
    }

    /** Runs queued messages until none is left; returns how many steps ran. */
    public long drain() {
        long n = 0;
        while (controlled.executor().runAny()) {
            n++;
            if (++steps % MAX_STEPS == 0) {
                throw new SimulationException("no quiescence after " + steps + " steps: the model livelocks");
            }
        }
        return n;
    }

    /**
     * Advances virtual time by {@code d}: each timer due on the way fires at its own time, in scheduling
     * order, and the system runs to quiescence after it (so timers it sets that fall due within
     * {@code d} fire too).
     */
    public void advance(Duration d) {
        VirtualTimeScheduler clock = controlled.clock();
        long target = clock.currentTimeMs() + d.toMillis();
        drain();
        for (long due = clock.nextDueMs(); due >= 0 && due <= target; due = clock.nextDueMs()) {
            clock.advanceToNextTimer();
            drain();
        }
        clock.advanceClockTo(target);
        drain();
    }

    /** Milliseconds of virtual time since the start. */
    public long nowMillis() {
        return controlled.clock().currentTimeMs();
    }

    public long steps() {
        return steps;
    }

    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        return ask(spawner, r -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), r));
    }

    /** Sends the request, runs to quiescence, and returns the answer (which must have come). */
    public <Q, R> R ask(ActorRef<Q> target, Function<ActorRef<R>, Q> message) {
        CompletableFuture<R> f = AskPattern.ask(target, message::apply, ASK, controlled.system().scheduler())
                .toCompletableFuture();
        drain();
        if (!f.isDone()) {
            throw new SimulationException("no answer from " + target.path() + " (the model is blocked)");
        }
        return f.join();
    }

    @Override
    public void close() {
        controlled.close();
    }
}
