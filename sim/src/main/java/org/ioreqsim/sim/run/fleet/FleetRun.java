package org.ioreqsim.sim.run.fleet;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.pattern.Patterns;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.ioreqsim.sim.SimulationException;
import org.ioreqsim.sim.exec.SimActors;
import org.ioreqsim.sim.run.Simulation;
import org.ioreqsim.sim.scenario.HostTemplate;
import org.ioreqsim.sim.scenario.Scenario;

/**
 * Runs a fleet scenario on a cluster, from the submitting member: waits until the members that hold
 * fleet hosts are known to the shard coordinator, starts every host ({@link FleetCollector}), shows
 * progress, and merges the hosts' figures into a {@link FleetReport}. The same code runs a fleet on a
 * one-member cluster in this JVM ({@code run} without {@code --cluster}) and on many members.
 */
public final class FleetRun {
    /** How long to wait for the members that hold hosts to register with the coordinator. */
    static final Duration REGIONS = Duration.ofSeconds(20);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final ActorSystem<?> system;
    private final Scenario fleet;
    private final boolean deterministic;
    private volatile ActorRef<Object> collector;
    private volatile boolean stopRequested;

    /** A run of {@code fleet} submitted from {@code system}'s member; hosts free or deterministic. */
    public FleetRun(ActorSystem<?> system, Scenario fleet, boolean deterministic) {
        if (!fleet.fleet()) {
            throw new IllegalArgumentException("not a fleet scenario");
        }
        this.system = system;
        this.fleet = fleet;
        this.deterministic = deterministic;
    }

    /** Runs every host to its end and merges; {@code progress} is told the fleet's completions now and then. */
    public FleetReport run(Simulation.Progress progress) {
        ActorRef<ShardingEnvelope<FleetHost.Command>> region = FleetHosting.proxy(system);
        awaitRegions(region);
        List<HostTemplate.Host> hosts = fleet.fleetHosts();
        FleetCollector.Counters counters = new FleetCollector.Counters();
        CompletableFuture<List<FleetCollector.HostOutcome>> done = new CompletableFuture<>();
        Duration startLimit = Duration.ofSeconds(60).plusMillis(10L * hosts.size());
        long start = System.nanoTime();
        collector = system.systemActorOf(FleetCollector.create(UUID.randomUUID().toString(), hosts, deterministic,
                region, startLimit, counters, done), "fleet-run-" + RUNS.incrementAndGet(), Props.empty());
        if (stopRequested) {
            collector.tell(new FleetCollector.StopAll());
        }
        List<FleetCollector.HostOutcome> outcomes = SimActors.awaitWithProgress(done,
                () -> progress.update(counters.completed.get(), System.nanoTime() - start));
        double elapsed = (System.nanoTime() - start) / 1e9;
        return FleetReport.merge(fleet, deterministic, outcomes, elapsed, stopRequested, counters.sent.get(),
                counters.received.get(), counters.progress.get());
    }

    /** Ends the run early (from any thread, for example on Ctrl-C): every host reports what it did so far. */
    public void requestStop() {
        stopRequested = true;
        ActorRef<Object> c = collector;
        if (c != null) {
            c.tell(new FleetCollector.StopAll());
        }
    }

    /** The members whose regions the shard coordinator knows, asked through {@code region} (a proxy works). */
    private static int regions(ActorRef<ShardingEnvelope<FleetHost.Command>> region) {
        Object answer = SimActors.await(Patterns.ask(Adapter.toClassic(region), ShardRegion.getCurrentRegionsInstance(),
                Duration.ofSeconds(3)), Duration.ofSeconds(4));
        return answer instanceof ShardRegion.CurrentRegions c ? c.getRegions().size() : 0;
    }

    /**
     * Waits until the shard coordinator knows a region on every member that is up with the role
     * {@value FleetHosting#ROLE} (at least one), so the hosts spread over all of them; after
     * {@link #REGIONS}, goes on with those it knows, or fails if it knows none.
     */
    private void awaitRegions(ActorRef<ShardingEnvelope<FleetHost.Command>> region) {
        long until = System.nanoTime() + REGIONS.toNanos();
        while (true) {
            long wanted = StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
                    .filter(m -> m.status() == MemberStatus.up() && m.hasRole(FleetHosting.ROLE)).count();
            int regions = regions(region);
            if (regions > 0 && regions >= wanted) {
                return;
            }
            if (System.nanoTime() > until) {
                if (regions > 0) {
                    return;
                }
                throw new SimulationException("no member of the cluster holds fleet hosts (members with the role "
                        + FleetHosting.ROLE + ": " + wanted + ") after " + REGIONS.toSeconds() + " s");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulationException("interrupted");
            }
        }
    }
}
