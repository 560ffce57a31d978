package org.ioreqsim.sim.exec;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.ioreqsim.sim.SimulationException;

/**
 * The actor system of a free run (no test kit): real threads, wall-clock time. Spawns top-level actors
 * (the hypervisor, emulators, drivers), asks them and waits for answers, turning failures and time-outs
 * into a {@link SimulationException} with a one-line message. Shared by {@link Simulation} and trace
 * replay; {@link DeterministicActors} is the deterministic kind.
 */
public final class SimActors implements RunActors {
    /** How long one ask may take before the run is declared stuck. */
    public static final Duration ASK = Duration.ofSeconds(60);

    private final ActorSystem<SpawnProtocol.Command> system;

    public SimActors(String name) {
        this(name, akkaConfig());
    }

    public SimActors(String name, Config config) {
        // SLF4J initialises here, on one thread, not racing Akka's threads (which would make it replay
        // their first log calls, and say so on stderr).
        org.slf4j.LoggerFactory.getILoggerFactory();
        this.system = ActorSystem.create(SpawnProtocol.create(), name, config);
    }

    /**
     * The actor-system settings of a free (parallel) run: every actor on one fair run queue
     * ({@link org.ioreqsim.sim.exec.FairExecutorConfigurator}), one thread per processor.
     */
    public static Config akkaConfig() {
        return ConfigFactory.parseString("""
                akka {
                  loglevel = "WARNING"
                  stdout-loglevel = "OFF"
                  loggers = ["akka.event.slf4j.Slf4jLogger"]
                  logging-filter = "akka.event.slf4j.Slf4jLoggingFilter"
                  log-dead-letters = off
                  log-dead-letters-during-shutdown = off
                  coordinated-shutdown.run-by-jvm-shutdown-hook = off
                  actor.default-dispatcher {
                    executor = "org.ioreqsim.sim.exec.FairExecutorConfigurator"
                    fair-executor.parallelism = 0
                    fair-executor.spin-micros = 50
                    throughput = 64
                  }
                }
                """).withFallback(ConfigFactory.load());
    }

    @Override
    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        return await(AskPattern.ask(system, r -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), r), ASK,
                system.scheduler()));
    }

    @Override
    public <Q, R> CompletionStage<R> askAsync(ActorRef<Q> target, Function<ActorRef<R>, Q> message) {
        return AskPattern.ask(target, message::apply, ASK, system.scheduler());
    }

    /** Waits for {@code stage} at most {@link #ASK}; a failure's message becomes the exception's. */
    @Override
    public <T> T await(CompletionStage<T> stage) {
        return await(stage, ASK);
    }

    /** Waits, at most {@link #ASK}, until {@code done} holds; whoever makes it hold notifies {@code monitor}. */
    @Override
    public void awaitCondition(BooleanSupplier done, Object monitor, String what) {
        awaitMonitor(done, monitor, what);
    }

    /** {@link #awaitCondition} of every free run's actors. */
    static void awaitMonitor(BooleanSupplier done, Object monitor, String what) {
        long until = System.nanoTime() + ASK.toNanos();
        synchronized (monitor) {
            while (!done.getAsBoolean()) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw new SimulationException("no " + what + " within " + ASK.toSeconds() + " s");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SimulationException("interrupted");
                }
            }
        }
    }

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    @Override
    public boolean runFor(long nanos, VcpuCountdown running, BooleanSupplier stop) {
        return awaitWorkloads(nanos, running);
    }

    /** {@link #runFor} of every free run's actors: the threads run the actors, the caller waits. */
    static boolean awaitWorkloads(long nanos, VcpuCountdown running) {
        try {
            return running.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted");
        }
    }

    @Override
    public boolean deterministic() {
        return false;
    }

    /** Waits for {@code stage} however long it takes, running {@code tick} about every 200 ms meanwhile. */
    public static <T> T awaitWithProgress(CompletionStage<T> stage, Runnable tick) {
        java.util.concurrent.CompletableFuture<T> f = stage.toCompletableFuture();
        while (true) {
            try {
                T t = f.get(200, TimeUnit.MILLISECONDS);
                tick.run();
                return t;
            } catch (TimeoutException e) {
                tick.run();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof SimulationException s ? s : new SimulationException(String.valueOf(c.getMessage()), c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulationException("interrupted");
            }
        }
    }

    public static <T> T await(CompletionStage<T> stage, Duration limit) {
        try {
            return stage.toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof SimulationException s ? s : new SimulationException(String.valueOf(c.getMessage()), c);
        } catch (TimeoutException e) {
            throw new SimulationException("the actor system did not answer within " + limit.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted");
        }
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Shutting down: nothing left to report.
        }
    }
}
