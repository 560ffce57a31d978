package org.ioreqsim.sim.exec;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.testkit.ExplicitlyTriggeredScheduler;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.ioreqsim.sim.SimulationException;
import scala.concurrent.duration.FiniteDuration;

/**
 * An actor system whose every actor — Akka's internal actors included — runs on the driving thread,
 * one message per step, in FIFO order, with virtual time that moves only when told. Akka's start-up
 * waits for its logger actor, so the system is created on a helper thread while the driver runs the
 * queue; from then on only the driver runs anything. Sending a message and then
 * calling {@link #drain()} runs the system to quiescence, so the same inputs always give the same
 * outputs. Scripts and replays use it.
 */
public final class DeterministicRuntime implements AutoCloseable {
    private static final Map<String, QueueExecutor> EXECUTORS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    /** A far-off timeout for asks: virtual time never reaches it unless a test advances it that far. */
    private static final Duration ASK = Duration.ofDays(365);
    /** Steps after which a drain gives up: a livelock in the model would otherwise never end. */
    private static final long MAX_STEPS = 50_000_000L;

    private final String id = "det-" + IDS.incrementAndGet();
    private final QueueExecutor executor = new QueueExecutor();
    private final ActorSystem<SpawnProtocol.Command> system;
    private final ExplicitlyTriggeredScheduler scheduler;
    private long steps;

    public DeterministicRuntime(String name) {
        EXECUTORS.put(id, executor);
        CompletableFuture<ActorSystem<SpawnProtocol.Command>> created = CompletableFuture.supplyAsync(
                () -> ActorSystem.create(SpawnProtocol.create(), name, config(id)));
        while (!created.isDone()) {
            if (!executor.runNext()) {
                Thread.onSpinWait();
            }
        }
        this.system = created.join();
        this.scheduler = (ExplicitlyTriggeredScheduler) Adapter.toClassic(system).scheduler();
        drain();
    }

    static QueueExecutor executor(String id) {
        QueueExecutor e = EXECUTORS.get(id);
        if (e == null) {
            throw new IllegalStateException("no deterministic executor " + id);
        }
        return e;
    }

    private static Config config(String id) {
        String dispatcher = """
                {
                  type = "Dispatcher"
                  executor = "org.ioreqsim.sim.exec.QueueExecutorConfigurator"
                  throughput = 1
                }
                """;
        return ConfigFactory.parseString("""
                ioreq-sim.executor-id = "%s"
                akka {
                  loglevel = "OFF"
                  stdout-loglevel = "OFF"
                  loggers = []
                  use-slf4j = off
                  log-dead-letters = off
                  log-dead-letters-during-shutdown = off
                  scheduler.implementation = "akka.testkit.ExplicitlyTriggeredScheduler"
                  coordinated-shutdown.run-by-jvm-shutdown-hook = off
                  coordinated-shutdown.terminate-actor-system = on
                  actor.default-dispatcher = %s
                  actor.internal-dispatcher = %s
                }
                """.formatted(id, dispatcher, dispatcher)).withFallback(ConfigFactory.load());
    }

    public ActorSystem<SpawnProtocol.Command> system() {
        return system;
    }

    /** Runs queued messages until none is left; returns how many steps ran. */
    public long drain() {
        long n = 0;
        while (executor.runNext()) {
            n++;
            if (++steps % MAX_STEPS == 0) {
                throw new SimulationException("no quiescence after " + steps + " steps: the model livelocks");
            }
        }
        return n;
    }

    /** Advances virtual time, firing due timers, and drains after each. */
    public void advance(Duration d) {
        long remaining = d.toMillis();
        while (remaining > 0) {
            long step = Math.min(remaining, 10);
            scheduler.timePasses(FiniteDuration.create(step, "ms"));
            drain();
            remaining -= step;
        }
        drain();
    }

    /** Milliseconds of virtual time since the start. */
    public long nowMillis() {
        return scheduler.currentTimeMs();
    }

    public long steps() {
        return steps;
    }

    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        return ask(system, r -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), r));
    }

    /** Sends the request, runs to quiescence, and returns the answer (which must have come). */
    public <Q, R> R ask(ActorRef<Q> target, Function<ActorRef<R>, Q> message) {
        CompletableFuture<R> f = AskPattern.ask(target, message::apply, ASK, system.scheduler())
                .toCompletableFuture();
        drain();
        if (!f.isDone()) {
            throw new SimulationException("no answer from " + target.path() + " (the model is blocked)");
        }
        return f.join();
    }

    @Override
    public void close() {
        system.terminate();
        for (int i = 0; i < 100 && !system.getWhenTerminated().toCompletableFuture().isDone(); i++) {
            drain();
            scheduler.timePasses(FiniteDuration.create(100, "ms"));
        }
        EXECUTORS.remove(id);
    }
}
