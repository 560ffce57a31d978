package org.ioreqsim.sim.run.fleet;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ioreqsim.sim.cluster.ClusterMessage;
import org.ioreqsim.sim.exec.HostSystem;
import org.ioreqsim.sim.run.RunReport;
import org.ioreqsim.sim.run.Simulation;
import org.ioreqsim.sim.scenario.Scenario;

/**
 * One Xen host of a fleet, the sharded entity a member holds: on {@link Start} it builds the host's
 * machine and runs its guests with the one {@link Simulation} every run uses, on a driver thread of its
 * own, in the member's {@link HostSystem} (or, for a deterministic fleet, on a controlled system of its
 * own), and tells the submitter {@link FleetEvent}s. Only those control messages cross the network; the
 * machine's pages, event channels and actors stay in this JVM.
 */
public final class FleetHost {
    /** The entity type of fleet hosts; the entity id is the host's name. */
    public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "fleet-host");
    /** At most one progress message per host per this many nanoseconds. */
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(1);

    private FleetHost() {
    }

    /** What a fleet host is told. */
    public sealed interface Command extends ClusterMessage {
    }

    /**
     * Run {@code scenario} (this host's guests, its seed) as part of run {@code runId}, telling
     * {@code replyTo} how it goes; free, or on a controlled system with simulated time.
     */
    public record Start(String runId, Scenario scenario, boolean deterministic, ActorRef<FleetEvent> replyTo)
            implements Command {
    }

    /** End run {@code runId} early (Ctrl-C on the submitter): the host reports what it did until then. */
    public record Stop(String runId) implements Command {
    }

    /** The driver thread of run {@code runId} has finished (sent by the host to itself). */
    public record Ended(String runId) implements Command {
    }

    /** The host {@code name} on the member {@code member}, whose machines live in {@code machines}. */
    static Behavior<Command> create(String name, String member, Supplier<HostSystem> machines) {
        return idle(name, member, machines);
    }

    private static Behavior<Command> idle(String name, String member, Supplier<HostSystem> machines) {
        return Behaviors.setup(ctx -> Behaviors.receive(Command.class)
                .onMessage(Start.class, s -> {
                    s.replyTo().tell(new FleetEvent.HostStarted(s.runId(), name, member));
                    Driving running = new Driving();
                    ActorRef<Command> self = ctx.getSelf();
                    Thread driver = new Thread(() -> drive(name, member, machines, s, running, self),
                            "fleet-host-" + name);
                    driver.setDaemon(true);
                    driver.start();
                    return running(name, member, machines, s.runId(), running);
                })
                .onMessage(Stop.class, s -> Behaviors.same())
                .onMessage(Ended.class, e -> Behaviors.same())
                .build());
    }

    private static Behavior<Command> running(String name, String member, Supplier<HostSystem> machines, String runId,
                                             Driving sim) {
        return Behaviors.receive(Command.class)
                .onMessage(Start.class, s -> {
                    if (!s.runId().equals(runId)) {
                        s.replyTo().tell(new FleetEvent.HostFailed(s.runId(), name, member, "host " + name
                                + " is still running run " + runId));
                    }
                    return Behaviors.same();
                })
                .onMessage(Stop.class, s -> {
                    if (s.runId().equals(runId)) {
                        sim.stop();
                    }
                    return Behaviors.same();
                })
                .onMessage(Ended.class, e -> e.runId().equals(runId) ? idle(name, member, machines)
                        : Behaviors.same())
                .build();
    }

    /** The simulation a driver thread runs, once it has one, and whether to stop it (either may come first). */
    private static final class Driving {
        private Simulation sim;
        private boolean stop;

        synchronized void started(Simulation s) {
            sim = s;
            if (stop) {
                s.requestStop();
            }
        }

        synchronized void stop() {
            stop = true;
            if (sim != null) {
                sim.requestStop();
            }
        }
    }

    /** The driver thread: builds the host's machine, runs it to the end, and reports. */
    private static void drive(String name, String member, Supplier<HostSystem> machines, Start s,
                              Driving running, ActorRef<Command> self) {
        long[] told = {System.nanoTime()};
        try (Simulation sim = s.deterministic() ? Simulation.deterministic(s.scenario(), null)
                : new Simulation(s.scenario(), machines.get().open(name), null)) {
            running.started(sim);
            RunReport r = sim.run((Simulation.Progress) (completed, nanos) -> {
                long now = System.nanoTime();
                if (now - told[0] >= PROGRESS_NANOS) {
                    told[0] = now;
                    s.replyTo().tell(new FleetEvent.HostProgress(s.runId(), name, completed));
                }
            });
            s.replyTo().tell(new FleetEvent.HostFinished(s.runId(), HostFigures.of(name, member, r, sim.latencies())));
        } catch (RuntimeException e) {
            s.replyTo().tell(new FleetEvent.HostFailed(s.runId(), name, member, String.valueOf(e.getMessage())));
        } finally {
            self.tell(new Ended(s.runId()));
        }
    }
}
