package org.ioreqsim.sim.exec;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.ioreqsim.sim.SimulationException;

/**
 * A run on the controlled actor system ({@code run --deterministic}, and both sides of a scenario
 * {@code diff}): every actor runs on the calling thread, one message per step, oldest runnable first
 * (one fair FIFO run queue, as free runs have, but with a single simulated CPU), and time is simulated:
 * each step costs {@link #STEP_NANOS} of simulated time, and when nothing is runnable the clock jumps to
 * the next timer. Akka's timers (think times, the emulators' buffered-ring poll) run on that clock at its
 * millisecond resolution. Nothing depends on the host's threads or clock, so a scenario and a seed give
 * the same figures every time.
 */
public final class DeterministicActors implements RunActors {
    /** Simulated time one step (one message handled by one actor) costs. */
    public static final long STEP_NANOS = 1_000;
    /** Asks never time out on their own: the clock only reaches this if a run idles for a year. */
    private static final Duration ASK = Duration.ofDays(365);
    /** Steps one wait may take before the run is declared stuck (a livelock would otherwise never end). */
    private static final long MAX_STEPS_PER_WAIT = 2_000_000_000L;

    private final ControlledSystem system;
    private final ControlledExecutor executor;
    private final VirtualTimeScheduler clock;
    private final ActorRef<SpawnProtocol.Command> spawner;
    private long simNanos;
    private long steps;

    public DeterministicActors(String name) {
        system = new ControlledSystem(name);
        executor = system.executor();
        clock = system.clock();
        executor.keepSubmissionOrder();
        system.startWorld(SpawnProtocol.create());
        system.drain();
        spawner = system.world();
    }

    @Override
    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        return ask(spawner, r -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), r));
    }

    @Override
    public <Q, R> CompletionStage<R> askAsync(ActorRef<Q> target, Function<ActorRef<R>, Q> message) {
        return AskPattern.ask(target, message::apply, ASK, system.system().scheduler());
    }

    @Override
    public <T> T await(CompletionStage<T> stage) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        awaitCondition(f::isDone, null, "an answer");
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            throw c instanceof SimulationException s ? s : new SimulationException(String.valueOf(c.getMessage()), c);
        }
    }

    @Override
    public void awaitCondition(BooleanSupplier done, Object monitor, String what) {
        long limit = simNanos + SimActors.ASK.toNanos();
        for (long n = 0; !done.getAsBoolean(); n++) {
            if (n == MAX_STEPS_PER_WAIT || !step(limit)) {
                throw new SimulationException("the model did not produce " + what + " within "
                        + SimActors.ASK.toSeconds() + " s of simulated time (it is blocked or livelocks)");
            }
        }
    }

    @Override
    public long nanos() {
        return simNanos;
    }

    @Override
    public boolean runFor(long nanos, VcpuCountdown running, BooleanSupplier stop) {
        long until = simNanos + nanos;
        while (running.running() > 0 && simNanos < until && !stop.getAsBoolean() && step(until)) {
            // keep going
        }
        return running.running() == 0;
    }

    /** Steps run so far. */
    public long steps() {
        return steps;
    }

    @Override
    public boolean deterministic() {
        return true;
    }

    /**
     * One step: the oldest runnable, or, with nothing runnable, the clock jumps to the next timer. With
     * nothing runnable and no timer due by {@code limit}, the clock moves to {@code limit} (if it is finite)
     * and the answer is false: the run cannot move before then.
     */
    private boolean step(long limit) {
        if (executor.runOldest()) {
            steps++;
            simNanos += STEP_NANOS;
            advanceClock();
            return true;
        }
        long due = clock.nextDueMs();
        if (due < 0 || due * 1_000_000L > limit) {
            if (limit != Long.MAX_VALUE) {
                simNanos = Math.max(simNanos, limit);
                advanceClock();
            }
            return false;
        }
        simNanos = Math.max(simNanos, due * 1_000_000L);
        clock.advanceToNextTimer();
        return true;
    }

    /** Akka's clock follows the simulated one: timers due by now fire (their runnables queue). */
    private void advanceClock() {
        long ms = simNanos / 1_000_000L;
        if (ms > clock.currentTimeMs()) {
            clock.advanceClockTo(ms);
        }
    }

    @Override
    public void close() {
        system.close();
    }
}
