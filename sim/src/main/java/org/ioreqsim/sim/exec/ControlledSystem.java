package org.ioreqsim.sim.exec;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * An actor system whose every actor runs on a {@link ControlledExecutor} (Akka's default and internal
 * dispatchers both, throughput 1) and whose clock is a {@link VirtualTimeScheduler}: nothing runs
 * unless the driver, the thread that created it, runs it. Worlds under test are spawned one at a time
 * as the child {@code world} of the user guardian, so that actor paths, and with them the keys
 * strategies see, are the same in every world.
 *
 * <p>Akka's own start-up and shutdown work (system guardians, the event-stream unsubscriber, the
 * coordinated-shutdown tasks) runs on the same executor; the driver runs it in key order and it is not
 * part of any schedule. No logger actor is started ({@code akka.loggers} names only the standard-out
 * logger, which Akka does not spawn), so start-up never waits for an actor's reply.
 */
public final class ControlledSystem implements AutoCloseable {
    /** The name of the world actor under the user guardian. */
    public static final String WORLD = "world";
    /** The executor key of the user guardian ({@code /user}), which starts and stops worlds. */
    private static final String GUARDIAN = "~/user";
    /** Mailbox runs after which a world that is being stopped counts as stuck. */
    private static final long TEARDOWN_RUNS = 5_000_000L;

    /** The user guardian's protocol. */
    sealed interface GuardianCommand {
    }

    private record StartWorld(Behavior<?> world) implements GuardianCommand {
    }

    private enum StopWorld implements GuardianCommand {
        INSTANCE
    }

    private final ControlledExecutor executor;
    private final ActorSystem<GuardianCommand> system;
    private final VirtualTimeScheduler clock;
    private ActorRef<?> world;
    private boolean worldAlive;

    /**
     * Creates the system for the calling thread, which becomes its driver. Akka's start-up blocks on
     * replies from actors (the stream materializer's guardian, loaded as a library extension, is asked
     * for its materializer), so it runs on a helper thread while this one runs what it submits.
     */
    public ControlledSystem(String name) {
        this.executor = ControlledExecutor.create();
        java.util.concurrent.CompletableFuture<ActorSystem<GuardianCommand>> created =
                new java.util.concurrent.CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                created.complete(ActorSystem.create(guardian(), name, config(executor.id())));
            } catch (Throwable t) {
                created.completeExceptionally(t);
            }
        }, name + "-start");
        starter.setDaemon(true);
        starter.start();
        while (!created.isDone()) {
            if (!executor.runAny()) {
                try {
                    executor.awaitWork(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the actor system started", e);
                }
            }
        }
        this.system = created.join();
        executor.bindDriver(Thread.currentThread());
        this.clock = (VirtualTimeScheduler) Adapter.toClassic(system).scheduler();
        drain();
    }

    /** The settings that put every dispatcher on executor {@code executorId} and the clock under control. */
    public static Config config(String executorId) {
        String dispatcher = "{ type = Dispatcher\n executor = \"" + ControlledExecutorConfigurator.class.getName()
                + "\"\n " + ControlledExecutorConfigurator.ID_SETTING + " = \"" + executorId + "\"\n throughput = 1\n"
                + " throughput-deadline-time = 0ms }";
        return ConfigFactory.parseString("akka {\n"
                + " loglevel = \"OFF\"\n stdout-loglevel = \"OFF\"\n"
                + " loggers = [\"akka.event.Logging$StandardOutLogger\"]\n use-slf4j = off\n"
                + " log-dead-letters = off\n log-dead-letters-during-shutdown = off\n"
                + " jvm-exit-on-fatal-error = off\n"
                + " coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                + " scheduler.implementation = \"" + VirtualTimeScheduler.class.getName() + "\"\n"
                + " actor.default-dispatcher = " + dispatcher + "\n"
                + " actor.internal-dispatcher = " + dispatcher + "\n"
                + "}").withFallback(ConfigFactory.defaultReference());
    }

    public ControlledExecutor executor() {
        return executor;
    }

    public VirtualTimeScheduler clock() {
        return clock;
    }

    public ActorSystem<?> system() {
        return system;
    }

    /** Makes the calling thread the driver (the one allowed to run and submit). */
    public void bindToCurrentThread() {
        executor.bindDriver(Thread.currentThread());
    }

    /**
     * Asks the guardian to spawn {@code world} as {@code /user/world}; nothing runs until the driver
     * steps (the guardian's run is the first step of the schedule).
     */
    public void startWorld(Behavior<?> behavior) {
        if (worldAlive) {
            throw new IllegalStateException("a world is still running");
        }
        executor.clearKeys();
        clock.reset();
        system.tell(new StartWorld(behavior));
    }

    /** The current world's actor, once the guardian has spawned it (after {@link #startWorld} and a step). */
    @SuppressWarnings("unchecked")
    public <T> ActorRef<T> world() {
        if (world == null) {
            throw new IllegalStateException("no world is running");
        }
        return (ActorRef<T>) world;
    }

    /** Whether the current world's actor has not yet terminated. */
    public boolean worldAlive() {
        return worldAlive;
    }

    /**
     * Stops the world and runs everything left (its actors' stops, their watchers, timers), in key
     * order, until nothing is runnable; cancels any timer still scheduled. Returns how many timers had
     * to be cancelled.
     */
    public int stopWorld() {
        system.tell(StopWorld.INSTANCE);
        // The guardian's key sorts after every world actor's, so a world whose actors keep each other
        // runnable forever (a model livelock that ended its schedule) would starve it: run it first.
        // Its stop reaches the world ("."), which sorts first, and from there every parent before its
        // children; a stopping actor handles its stop before any further message.
        while (executor.isEnabled(GUARDIAN)) {
            executor.run(GUARDIAN);
        }
        drainAtMost(TEARDOWN_RUNS);
        int leftTimers = clock.reset();
        drainAtMost(TEARDOWN_RUNS);
        executor.clearKeys();
        return leftTimers;
    }

    private void drainAtMost(long runs) {
        for (long n = 0; executor.runAny(); n++) {
            if (n == runs) {
                throw new IllegalStateException("the world did not stop within " + runs + " runs; still runnable: "
                        + executor.enabled());
            }
        }
    }

    /** Runs everything runnable, in key order, without advancing the clock. */
    public void drain() {
        while (executor.runAny()) {
            // keep going
        }
    }

    /**
     * Gives the system up without running another actor. After the watchdog stopped a step in the
     * middle of a message, the model's state is broken and its mailboxes still hold the messages that
     * loop (running them, as {@link #close()} does, would loop again on the driver thread with no
     * watchdog to stop it). Every dispatcher runs on the driver thread and the clock has no thread of
     * its own, so nothing keeps running: what the system held is left to the garbage collector.
     */
    public void abandon() {
        executor.close();
    }

    @Override
    public void close() {
        system.terminate();
        for (int i = 0; i < 1_000_000 && !system.whenTerminated().isCompleted(); i++) {
            if (!executor.runAny() && !clock.advanceToNextTimer()) {
                break;
            }
        }
        executor.close();
    }

    @SuppressWarnings("unchecked")
    private static ActorRef<?> spawn(akka.actor.typed.javadsl.ActorContext<GuardianCommand> ctx, Behavior<?> b) {
        return ctx.spawn((Behavior<Object>) b, WORLD);
    }

    private Behavior<GuardianCommand> guardian() {
        return Behaviors.setup(ctx -> Behaviors.receive(GuardianCommand.class)
                .onMessage(StartWorld.class, m -> {
                    world = spawn(ctx, m.world());
                    ctx.watch(world);
                    worldAlive = true;
                    return Behaviors.same();
                })
                .onMessage(StopWorld.class, m -> {
                    if (world != null) {
                        ctx.stop(world);
                    }
                    return Behaviors.same();
                })
                .onSignal(Terminated.class, t -> {
                    worldAlive = false;
                    world = null;
                    return Behaviors.same();
                })
                .build());
    }
}
