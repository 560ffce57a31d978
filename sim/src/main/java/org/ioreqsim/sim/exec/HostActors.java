package org.ioreqsim.sim.exec;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The actors of one fleet host in its member's {@link HostSystem}: a free run's actors (real threads,
 * wall-clock time, exactly as {@link SimActors}), spawned under the host's own parent instead of the
 * system's guardian. Closing them stops the host's actors, not the system.
 */
final class HostActors implements RunActors {
    private final ActorSystem<?> system;
    private final ActorRef<SpawnProtocol.Command> parent;
    private final Runnable onClose;

    HostActors(ActorSystem<?> system, ActorRef<SpawnProtocol.Command> parent, Runnable onClose) {
        this.system = system;
        this.parent = parent;
        this.onClose = onClose;
    }

    @Override
    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        return await(AskPattern.ask(parent, r -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), r),
                SimActors.ASK, system.scheduler()));
    }

    @Override
    public <Q, R> CompletionStage<R> askAsync(ActorRef<Q> target, Function<ActorRef<R>, Q> message) {
        return AskPattern.ask(target, message::apply, SimActors.ASK, system.scheduler());
    }

    @Override
    public <T> T await(CompletionStage<T> stage) {
        return SimActors.await(stage, SimActors.ASK);
    }

    @Override
    public void awaitCondition(BooleanSupplier done, Object monitor, String what) {
        SimActors.awaitMonitor(done, monitor, what);
    }

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    @Override
    public boolean runFor(long nanos, VcpuCountdown running, BooleanSupplier stop) {
        return SimActors.awaitWorkloads(nanos, running);
    }

    @Override
    public boolean deterministic() {
        return false;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
