package org.ioreqsim.sim;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.domain.DomainSnapshot;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.EmulatorStats;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * Runs one {@link Scenario} on a fresh actor system with real parallelism: builds the host, the
 * hypervisor, the guest domains and their QEMU-like emulators, starts every vCPU's workload, waits for
 * them to finish, and gathers the figures.
 */
public final class Simulation implements AutoCloseable {
    private static final Duration ASK = Duration.ofSeconds(60);

    private final Scenario scenario;
    private final ActorSystem<SpawnProtocol.Command> system;
    private final Host host = new Host();
    private final RunMetrics metrics = new RunMetrics();
    private final List<EmulatorEvent> emulatorEvents = new ArrayList<>();
    private final CountDownLatch done;
    private final AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
    private List<ActorRef<Domain.Command>> guests;
    private List<ActorRef<IoreqServer.Command>> emulators;

    public Simulation(Scenario scenario) {
        this(scenario, akkaConfig());
    }

    /** A simulation on an actor system with the given settings (benchmarks compare dispatcher settings). */
    public Simulation(Scenario scenario, Config akka) {
        this.scenario = scenario;
        this.system = ActorSystem.create(SpawnProtocol.create(), "ioreq-sim", akka);
        this.done = new CountDownLatch((int) scenario.totalVcpus());
    }

    /** The actor-system settings of a free (parallel) run; benchmarks run their reference actors on them too. */
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
                  actor.default-dispatcher.throughput = 64
                }
                """).withFallback(ConfigFactory.load());
    }

    /** Runs the scenario to the end and reports. {@code progress} is told the completed count now and then. */
    public RunReport run(java.util.function.LongConsumer progress) {
        prepare();
        return execute(progress);
    }

    /**
     * Builds the machine without running guest code: the hypervisor, every guest domain with its vCPUs,
     * and every emulator started and bound. Returns once all emulators have started.
     */
    public void prepare() {
        if (guests != null) {
            throw new IllegalStateException("already prepared");
        }
        RandomMixWorkload.Run shared = new RandomMixWorkload.Run(scenario, metrics, done, deadline);
        WorkloadFactory workloads = (domid, vcpu) -> new RandomMixWorkload(scenario.seed(), domid, vcpu, shared);
        ActorRef<HypervisorMessage> xen = spawn(Hypervisor.create(host, scenario.options(), workloads), "hypervisor");
        guests = createGuests(xen);
        emulators = startEmulators(xen, guests);
    }

    /** Starts every vCPU of a {@link #prepare prepared} machine, waits for the workloads to end, and reports. */
    public RunReport execute(java.util.function.LongConsumer progress) {
        if (guests == null) {
            throw new IllegalStateException("not prepared");
        }
        long start = System.nanoTime();
        if (scenario.requests() <= 0) {
            deadline.set(start + scenario.duration().toNanos());
        }
        guests.forEach(g -> g.tell(Domain.StartVcpus.INSTANCE));
        waitForWorkloads(done, progress);
        long elapsed = System.nanoTime() - start;

        List<EmulatorStats> stats = new ArrayList<>();
        for (ActorRef<IoreqServer.Command> e : emulators) {
            stats.add(ask(e, IoreqServer.GetStats::new));
        }
        List<DomainSnapshot> domains = new ArrayList<>();
        for (ActorRef<Domain.Command> g : guests) {
            domains.add(ask(g, Domain.Inspect::new));
        }
        List<EmulatorEvent> events;
        synchronized (emulatorEvents) {
            events = List.copyOf(emulatorEvents);
        }
        return RunReport.of(scenario, metrics, elapsed, stats, domains, events);
    }

    private List<ActorRef<Domain.Command>> createGuests(ActorRef<HypervisorMessage> xen) {
        List<CompletionStage<Hypervisor.DomainCreated>> pending = new ArrayList<>();
        for (int d = 0; d < scenario.domains(); d++) {
            DomainConfig cfg = DomainConfig.guest("guest" + (d + 1), scenario.vcpus(), scenario.options())
                    .withEmulatedVga(scenario.emulatedVga())
                    .withMaxEvtchnPort(Math.max(Xen.DEFAULT_MAX_EVTCHN_PORT,
                            scenario.vcpus() * scenario.servers() + scenario.servers() + 8));
            pending.add(AskPattern.ask(xen, r -> new Hypervisor.CreateDomain(cfg, -1, r), ASK, system.scheduler()));
        }
        List<ActorRef<Domain.Command>> out = new ArrayList<>();
        for (CompletionStage<Hypervisor.DomainCreated> p : pending) {
            Hypervisor.DomainCreated c = await(p);
            if (!c.domid().isOk()) {
                throw new SimulationException("creating a domain failed: " + c.domid().describe());
            }
            out.add(c.domain());
        }
        if (scenario.useStubdoms()) {
            List<CompletionStage<Hypervisor.DomainCreated>> stubs = new ArrayList<>();
            for (int d = 0; d < scenario.domains(); d++) {
                int target = d + 1;
                stubs.add(AskPattern.ask(xen, r -> new Hypervisor.CreateDomain(
                        DomainConfig.stubdom("dm" + target, target, scenario.options()), -1, r), ASK,
                        system.scheduler()));
            }
            List<ActorRef<Domain.Command>> stubRefs = new ArrayList<>();
            stubs.forEach(s -> {
                Hypervisor.DomainCreated c = await(s);
                if (!c.domid().isOk()) {
                    throw new SimulationException("creating a stub domain failed");
                }
                stubRefs.add(c.domain());
            });
            awaitRunning(stubRefs);
        }
        awaitRunning(List.of(ask(xen, (ActorRef<Hypervisor.DomainLookup> r) -> new Hypervisor.GetDomain(Xen.DOM0, r))
                .domain()));
        awaitRunning(out);
        return out;
    }

    /**
     * Waits until every domain actor has started. A domain registers its event-channel table with the
     * host when its actor starts, which can come after the hypervisor's DomainCreated reply; an emulator
     * that binds before then gets ESRCH.
     */
    private void awaitRunning(List<ActorRef<Domain.Command>> domains) {
        List<CompletionStage<DomainSnapshot>> pending = new ArrayList<>();
        for (ActorRef<Domain.Command> d : domains) {
            pending.add(AskPattern.ask(d, Domain.Inspect::new, ASK, system.scheduler()));
        }
        pending.forEach(Simulation::await);
    }

    /** One emulator per (guest, server), in dom0 or in the guest's stub domain, started as QEMU starts. */
    private List<ActorRef<IoreqServer.Command>> startEmulators(ActorRef<HypervisorMessage> xen,
                                                               List<ActorRef<Domain.Command>> guests) {
        int expected = guests.size() * scenario.servers();
        CompletableFuture<List<EmulatorEvent.Started>> started = new CompletableFuture<>();
        ActorRef<EmulatorEvent> barrier = spawn(StartBarrier.create(expected, started, emulatorEvents), "emulators");
        List<ActorRef<IoreqServer.Command>> out = new ArrayList<>();
        for (int d = 0; d < guests.size(); d++) {
            int domid = d + 1;
            int emulatorDomid = scenario.useStubdoms() ? scenario.domains() + 1 + d : Xen.DOM0;
            for (int k = 0; k < scenario.servers(); k++) {
                EmulatorConfig cfg = EmulatorConfig.qemu(emulatorDomid, domid, GuestDevices.forServer(k),
                        scenario.vcpus()).withBufioreqMode(scenario.bufioreqMode());
                ActorRef<IoreqServer.Command> e = spawn(IoreqServer.create(cfg, host, xen.narrow(), barrier),
                        "qemu-" + domid + "-" + k);
                out.add(e);
            }
        }
        for (int k = 0; k < scenario.servers(); k++) {
            for (int d = 0; d < guests.size(); d++) {
                out.get(d * scenario.servers() + k).tell(IoreqServer.Start.INSTANCE);
            }
        }
        await(started);
        return out;
    }

    private void waitForWorkloads(CountDownLatch done, java.util.function.LongConsumer progress) {
        long limitNanos = scenario.requests() > 0 ? TimeUnit.MINUTES.toNanos(30)
                : scenario.duration().toNanos() + TimeUnit.MINUTES.toNanos(5);
        long until = System.nanoTime() + limitNanos;
        try {
            while (!done.await(200, TimeUnit.MILLISECONDS)) {
                progress.accept(metrics.completedCount());
                if (System.nanoTime() > until) {
                    throw new SimulationException("the run did not finish: " + done.getCount()
                            + " vCPUs still busy (blocked on an emulator that never answers?)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted");
        }
        progress.accept(metrics.completedCount());
    }

    private <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        return await(AskPattern.ask(system, r -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), r), ASK,
                system.scheduler()));
    }

    private <Q, R> R ask(ActorRef<Q> target, Function<ActorRef<R>, Q> message) {
        return await(AskPattern.ask(target, message::apply, ASK, system.scheduler()));
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof SimulationException s ? s : new SimulationException(String.valueOf(c.getMessage()), c);
        } catch (TimeoutException e) {
            throw new SimulationException("the actor system did not answer within " + ASK.toSeconds() + " s");
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
