package org.ioreqsim.sim;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
    private final Scenario scenario;
    private final SimActors actors;
    private final Host host = new Host();
    private final RunMetrics metrics = new RunMetrics();
    private final List<EmulatorEvent> emulatorEvents = new ArrayList<>();
    /** (nanos since the vCPUs started, operations completed), about every 200 ms. */
    private final List<long[]> samples = new ArrayList<>();

    public Simulation(Scenario scenario) {
        this.scenario = scenario;
        this.actors = new SimActors("ioreq-sim");
    }

    /** Runs the scenario to the end and reports. {@code progress} is told the completed count now and then. */
    public RunReport run(java.util.function.LongConsumer progress) {
        long totalVcpus = scenario.totalVcpus();
        CountDownLatch done = new CountDownLatch((int) totalVcpus);
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
        WorkloadFactory workloads = (domid, vcpu) -> new RandomMixWorkload(scenario.seed(), domid, vcpu, scenario,
                metrics, done, deadline);
        ActorRef<HypervisorMessage> xen = actors.spawn(Hypervisor.create(host, scenario.options(), workloads), "hypervisor");

        List<ActorRef<Domain.Command>> guests = createGuests(xen);
        List<ActorRef<IoreqServer.Command>> emulators = startEmulators(xen, guests);

        long start = System.nanoTime();
        if (scenario.requests() <= 0) {
            deadline.set(start + scenario.duration().toNanos());
        }
        guests.forEach(g -> g.tell(Domain.StartVcpus.INSTANCE));
        waitForWorkloads(done, completed -> {
            samples.add(new long[] {System.nanoTime() - start, completed});
            progress.accept(completed);
        });
        long elapsed = System.nanoTime() - start;

        List<EmulatorStats> stats = new ArrayList<>();
        for (ActorRef<IoreqServer.Command> e : emulators) {
            stats.add(actors.ask(e, IoreqServer.GetStats::new));
        }
        List<DomainSnapshot> domains = new ArrayList<>();
        for (ActorRef<Domain.Command> g : guests) {
            domains.add(actors.ask(g, Domain.Inspect::new));
        }
        List<EmulatorEvent> events;
        synchronized (emulatorEvents) {
            events = List.copyOf(emulatorEvents);
        }
        samples.add(new long[] {elapsed, metrics.completedCount()});
        return RunReport.of(scenario, metrics, elapsed, stats, domains, events, samples);
    }

    private List<ActorRef<Domain.Command>> createGuests(ActorRef<HypervisorMessage> xen) {
        List<CompletionStage<Hypervisor.DomainCreated>> pending = new ArrayList<>();
        for (int d = 0; d < scenario.domains(); d++) {
            DomainConfig cfg = DomainConfig.guest("guest" + (d + 1), scenario.vcpus(), scenario.options())
                    .withEmulatedVga(scenario.emulatedVga())
                    .withMaxEvtchnPort(Math.max(Xen.DEFAULT_MAX_EVTCHN_PORT,
                            scenario.vcpus() * scenario.servers() + scenario.servers() + 8));
            pending.add(actors.askAsync(xen, r -> new Hypervisor.CreateDomain(cfg, -1, r)));
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
                stubs.add(actors.askAsync(xen, r -> new Hypervisor.CreateDomain(
                        DomainConfig.stubdom("dm" + target, target, scenario.options()), -1, r)));
            }
            stubs.forEach(s -> {
                if (!await(s).domid().isOk()) {
                    throw new SimulationException("creating a stub domain failed");
                }
            });
        }
        return out;
    }

    /** One emulator per (guest, server), in dom0 or in the guest's stub domain, started as QEMU starts. */
    private List<ActorRef<IoreqServer.Command>> startEmulators(ActorRef<HypervisorMessage> xen,
                                                               List<ActorRef<Domain.Command>> guests) {
        int expected = guests.size() * scenario.servers();
        CompletableFuture<List<EmulatorEvent.Started>> started = new CompletableFuture<>();
        ActorRef<EmulatorEvent> barrier = actors.spawn(StartBarrier.create(expected, started, emulatorEvents), "emulators");
        List<ActorRef<IoreqServer.Command>> out = new ArrayList<>();
        for (int d = 0; d < guests.size(); d++) {
            int domid = d + 1;
            int emulatorDomid = scenario.useStubdoms() ? scenario.domains() + 1 + d : Xen.DOM0;
            for (int k = 0; k < scenario.servers(); k++) {
                EmulatorConfig cfg = EmulatorConfig.qemu(emulatorDomid, domid, GuestDevices.forServer(k),
                        scenario.vcpus()).withBufioreqMode(scenario.bufioreqMode());
                ActorRef<IoreqServer.Command> e = actors.spawn(IoreqServer.create(cfg, host, xen.narrow(), barrier),
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

    private static <T> T await(CompletionStage<T> stage) {
        return SimActors.await(stage);
    }

    @Override
    public void close() {
        actors.close();
    }
}
