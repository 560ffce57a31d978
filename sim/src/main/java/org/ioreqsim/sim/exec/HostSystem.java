package org.ioreqsim.sim.exec;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import java.util.concurrent.TimeUnit;

/**
 * The actor system in which a cluster member runs the machines of the fleet hosts it holds: a free run's
 * system ({@link SimActors#akkaConfig()}: one fair run queue, one thread per processor), local to the
 * JVM, with no remoting, so a host's domains, vCPUs and emulators share their pages and event channels
 * as they do on one physical host. Each host's actors live under a parent of their own
 * ({@link #open}), so many hosts share the system without their names colliding.
 */
public final class HostSystem implements AutoCloseable {
    private final ActorSystem<Command> system;
    private long opened;

    /** What the system's guardian does: opens and closes the parents of hosts. */
    sealed interface Command {
    }

    record Open(String name, ActorRef<ActorRef<SpawnProtocol.Command>> replyTo) implements Command {
    }

    record Close(ActorRef<SpawnProtocol.Command> parent) implements Command {
    }

    public HostSystem(String name) {
        org.slf4j.LoggerFactory.getILoggerFactory();
        system = ActorSystem.create(guardian(), name, SimActors.akkaConfig());
    }

    private static Behavior<Command> guardian() {
        return Behaviors.setup(ctx -> Behaviors.receive(Command.class)
                .onMessage(Open.class, o -> {
                    o.replyTo().tell(ctx.spawn(SpawnProtocol.create(), o.name()));
                    return Behaviors.same();
                })
                .onMessage(Close.class, c -> {
                    ctx.stop(c.parent());
                    return Behaviors.same();
                })
                .build());
    }

    /**
     * The actors of one host, {@code name}, under a parent of their own; closing them stops every actor
     * of the host. Callable from any thread.
     */
    public RunActors open(String name) {
        String unique;
        synchronized (this) {
            unique = name + "-" + opened++;
        }
        ActorRef<SpawnProtocol.Command> parent = SimActors.await(AskPattern.ask(system,
                (ActorRef<ActorRef<SpawnProtocol.Command>> r) -> new Open(unique, r), SimActors.ASK,
                system.scheduler()), SimActors.ASK);
        return new HostActors(system, parent, () -> system.tell(new Close(parent)));
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
