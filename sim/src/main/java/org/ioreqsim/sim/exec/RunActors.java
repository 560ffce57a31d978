package org.ioreqsim.sim.exec;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Where a run's actors live and how the thread that drives the run waits for them. Two kinds: free
 * ({@link SimActors}: real threads on one fair run queue, wall-clock time, figures that vary from run to
 * run) and deterministic ({@link DeterministicActors}: the controlled system the stress harness and
 * scripts use, simulated time, the same figures for the same scenario and seed every time).
 * {@link Simulation} is written once against this interface.
 */
public interface RunActors extends Spawner, AutoCloseable {

    /** Spawns a top-level actor and waits until it exists. */
    <T> ActorRef<T> spawn(Behavior<T> behavior, String name);

    /** Sends {@code message} (built around the reply address) and waits for the answer. */
    default <Q, R> R ask(ActorRef<Q> target, Function<ActorRef<R>, Q> message) {
        return await(askAsync(target, message));
    }

    <Q, R> CompletionStage<R> askAsync(ActorRef<Q> target, Function<ActorRef<R>, Q> message);

    /** Waits for {@code stage}; a failure or a run that cannot answer becomes a {@link SimulationException}. */
    <T> T await(CompletionStage<T> stage);

    /** Waits until {@code done} holds (it is re-checked as the run goes on); {@code what} names it in the error. */
    void awaitCondition(BooleanSupplier done, Object monitor, String what);

    /** The run's clock, in nanoseconds: wall-clock time in a free run, simulated time in a deterministic one. */
    long nanos();

    /**
     * Lets the run go on for at most {@code nanos} of its clock, or until every workload has finished,
     * or (in a deterministic run, checked after every step) until {@code stop} holds; true if every
     * workload has finished.
     */
    boolean runFor(long nanos, VcpuCountdown running, BooleanSupplier stop);

    /** True if this run's figures are the same every time (simulated time). */
    boolean deterministic();

    @Override
    void close();
}
