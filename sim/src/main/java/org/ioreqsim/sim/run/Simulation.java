package org.ioreqsim.sim.run;

import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.domain.DomainSnapshot;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.EmulatorStats;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.sim.SimulationException;
import org.ioreqsim.sim.exec.DeterministicActors;
import org.ioreqsim.sim.exec.RunActors;
import org.ioreqsim.sim.exec.SimActors;
import org.ioreqsim.sim.exec.VcpuCountdown;
import org.ioreqsim.sim.machine.XenMachine;
import org.ioreqsim.sim.scenario.DeviceMaps;
import org.ioreqsim.sim.scenario.DomainGroup;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.ScenarioEvent;
import org.ioreqsim.vcpu.Workload;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * Runs one {@link Scenario} on a fresh actor system with real parallelism: builds the host, the
 * hypervisor, the guest domains and their QEMU-like emulators ({@link #prepare}), then starts every
 * vCPU's workload, fires the lifecycle events at their times, waits for the workloads to end, and
 * gathers the figures ({@link #execute}).
 *
 * <p>A run whose remaining vCPUs can make no more progress (blocked on a server that was destroyed or
 * whose emulator died, or in a domain left paused) ends once they have been still for a grace period;
 * the report lists them instead of the run hanging.
 */
public final class Simulation implements AutoCloseable {
    /** How often the driver samples progress (and the timeline). */
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Without completions for this long (at least), the driver looks for stalled vCPUs. */
    private static final long STALL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** After a stop request, how long the operations in flight get before the rest count as stalled. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The steady-state window starts after this share of the active time ... */
    private static final double WARMUP_SHARE = 0.2;
    /** ... but never later than this. */
    private static final long WARMUP_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Scenario spec;
    private final RunActors actors;
    private final Host host = new Host();
    private final RunMetrics metrics = new RunMetrics();
    private final VcpuCountdown running = new VcpuCountdown();
    private final AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
    /** Set from another thread (Ctrl-C): the vCPUs issue nothing more and the run reports what it did. */
    private volatile boolean stopRequested;
    private final List<EmulatorEvent> emulatorEvents = new ArrayList<>();
    /** (nanos since the vCPUs started, operations completed), about every 200 ms. */
    private final List<long[]> samples = new ArrayList<>();
    private final List<Guest> guests = new ArrayList<>();
    /**
     * The plans of each guest's group, by domid: read by the domain actors' threads as they spawn vCPUs,
     * so set once, complete, before the first domain is asked for (a map still being filled there gave
     * a vCPU no plan, an idle workload, now and then at 10,000 domains).
     */
    private volatile Map<Integer, GroupPlans> plans = Map.of();
    private final AccessLog log;
    /**
     * Every guest vCPU's workload in creation order, hotplugged ones included (created by the domain
     * actors, so guarded by itself; a list, not a concurrent queue, whose node would cost every vCPU 24 bytes).
     */
    private final List<TemplateWorkload> workloads = new ArrayList<>();
    private XenMachine machine;
    private ActorRef<HypervisorMessage> xen;
    private LifecycleEvents lifecycle;

    /** A free run: real threads on one fair run queue, wall-clock time. */
    public static Simulation free(Scenario spec) {
        return free(spec, SimActors.akkaConfig());
    }

    /** A free run on an actor system with the given settings (benchmarks compare dispatcher settings). */
    public static Simulation free(Scenario spec, Config akka) {
        return new Simulation(spec, new SimActors("ioreq-sim", akka), null);
    }

    /**
     * A run on {@code actors} (free or deterministic, which it then owns) that also logs every completion
     * per access template into {@code log} (may be null; for diffs).
     */
    public Simulation(Scenario spec, RunActors actors, AccessLog log) {
        this.spec = spec;
        this.log = log;
        this.actors = actors;
    }

    /** A deterministic run: the controlled system, simulated time; the same figures every time. */
    public static Simulation deterministic(Scenario spec, AccessLog log) {
        return new Simulation(spec, new DeterministicActors("ioreq-sim"), log);
    }

    /** The actor-system settings of a free (parallel) run. */
    public static Config akkaConfig() {
        return SimActors.akkaConfig();
    }

    /** What the driver tells about the run now and then (every 200 ms of run time). */
    @FunctionalInterface
    public interface Progress {
        /** Operations completed so far, and the run time so far on the run's clock. */
        void update(long completed, long runNanos);
    }

    /** Runs the scenario to the end and reports. {@code progress} is told the completed count now and then. */
    public RunReport run(LongConsumer progress) {
        return run((completed, nanos) -> progress.accept(completed));
    }

    /** Runs the scenario to the end and reports, telling {@code progress} how far it got now and then. */
    public RunReport run(Progress progress) {
        prepare();
        return execute(progress);
    }

    /**
     * Builds the machine without running guest code: the hypervisor, every guest domain with its vCPUs,
     * and every emulator started and bound. Returns once all emulators have started.
     */
    public void prepare() {
        if (xen != null) {
            throw new IllegalStateException("already prepared");
        }
        WorkloadFactory factory = (domid, vcpu) -> {
            GroupPlans p = plans.get(domid);
            if (p == null) {
                return Workload.IDLE;
            }
            TemplateWorkload w = new TemplateWorkload(spec.run().seed(), domid, vcpu, p.of(vcpu));
            synchronized (workloads) {
                workloads.add(w);
            }
            return w;
        };
        machine = XenMachine.start(actors, host, spec.xen().options(), factory);
        xen = machine.xen();
        createGuests();
        startEmulators();
        for (Guest g : guests) {
            if (g.group.usesDefaultServer()) {
                Result<Long> rc = actors.ask(g.ref, Domain.Unpause::new);
                if (!rc.isOk()) {
                    throw new SimulationException("unpausing d" + g.domid + " failed: " + rc.describe());
                }
            }
        }
        lifecycle = new LifecycleEvents(actors, machine, guests, emulatorEvents);
    }

    /**
     * Ends the run early (from any thread, for example a shutdown hook on Ctrl-C): the vCPUs start no new
     * operation, the driver waits for the ones in flight, and the report says it was interrupted.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Operations completed so far (may be read while the run goes on). */
    public long completedCount() {
        return metrics.completedCount();
    }

    /** Every operation's latency, in nanoseconds, merged over the vCPUs; read it once the run has ended. */
    public org.HdrHistogram.Histogram latencies() {
        return metrics.latencies();
    }

    /** Starts every vCPU of a {@link #prepare prepared} machine, fires the events, waits for the end, and reports. */
    public RunReport execute(LongConsumer progress) {
        return execute((completed, nanos) -> progress.accept(completed));
    }

    /** As {@link #execute(LongConsumer)}, telling {@code progress} the run time too. */
    public RunReport execute(Progress progress) {
        if (xen == null) {
            throw new IllegalStateException("not prepared");
        }
        long start = actors.nanos();
        if (spec.run().requests() <= 0) {
            deadline.set(start + spec.run().duration().toNanos());
        }
        guests.forEach(g -> g.ref.tell(Domain.StartVcpus.INSTANCE));
        Drive drive = drive(start, progress);
        long elapsed = actors.nanos() - start;

        List<CompletionStage<EmulatorStats>> stats = new ArrayList<>();
        List<CompletionStage<DomainSnapshot>> domains = new ArrayList<>();
        lifecycle.destroyedDomains().forEach(d -> domains.add(CompletableFuture.completedFuture(d)));
        for (Guest g : guests) {
            g.emulators.values().forEach(e -> stats.add(actors.askAsync(e, IoreqServer.GetStats::new)));
            if (!g.destroyed) {
                domains.add(actors.askAsync(g.ref, Domain.Inspect::new));
            }
        }
        List<EmulatorStats> emulators = new ArrayList<>(lifecycle.retiredEmulators());
        stats.forEach(st -> emulators.add(actors.await(st)));
        List<DomainSnapshot> snapshots = domains.stream().map(actors::await).toList();
        List<EmulatorEvent> events;
        synchronized (emulatorEvents) {
            events = List.copyOf(emulatorEvents);
        }
        samples.add(new long[] {elapsed, metrics.completedCount()});
        List<Fairness.VcpuCount> counts;
        synchronized (workloads) {
            counts = workloads.stream().map(TemplateWorkload::count).toList();
        }
        RunReport.Timing timing = timing(elapsed, drive.activeNanos(), drive.endedBy());
        return RunReport.of(spec, metrics, timing, emulators, snapshots, events, samples, lifecycle.results(),
                drive.stalled(), counts);
    }

    /** How the drive ended: the vCPUs found stalled (if it ended that way), and when the last completion came. */
    private record Drive(List<String> stalled, long activeNanos, String endedBy) {
    }

    /**
     * The run's time split: active (to the last completion seen), the stall grace after it, and the
     * steady-state window of the active time, after a warm-up of {@link #WARMUP_SHARE} of it (at most
     * {@link #WARMUP_MAX_NANOS}), whose completion rate is the headline throughput.
     */
    private RunReport.Timing timing(long elapsed, long active, String endedBy) {
        long warmup = Math.min(WARMUP_MAX_NANOS, (long) (active * WARMUP_SHARE));
        long[] from = null;
        long[] to = null;
        for (long[] p : samples) {
            if (from == null && p[0] >= warmup) {
                from = p;
            }
            if (p[0] <= active) {
                to = p;
            }
        }
        long completed = metrics.completedCount();
        double overall = completed / Math.max(active / 1e9, 1e-9);
        double steady = overall;
        long window = active;
        long windowStart = 0;
        if (from != null && to != null && to[0] - from[0] >= Math.max(SAMPLE_NANOS, active / 4)) {
            steady = (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
            window = to[0] - from[0];
            windowStart = from[0];
        }
        return new RunReport.Timing(actors.deterministic() ? "simulated" : "wall-clock", endedBy, seconds(elapsed),
                seconds(active), seconds(elapsed - active), seconds(windowStart), seconds(window), Math.round(steady),
                Math.round(overall));
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }

    /**
     * Waits for the workloads while firing lifecycle events at their times and sampling progress;
     * returns the vCPUs found stalled, if the run ended that way, and when completions last moved.
     */
    private Drive drive(long start, Progress progress) {
        List<ScenarioEvent> events = spec.events();
        int next = 0;
        long lastCompleted = 0;
        long lastCompletionAt = start;
        long lastProgress = start;
        long grace = Math.max(STALL_GRACE_NANOS, 4 * Math.max(spec.run().think().toNanos(),
                spec.run().openLoop() ? (long) (1e9 / spec.run().ratePerSec()) : 0));
        long hardLimit = start + (spec.run().requests() > 0 ? TimeUnit.MINUTES.toNanos(30)
                : spec.run().duration().toNanos() + TimeUnit.MINUTES.toNanos(5));
        boolean stopping = false;
        while (true) {
            long now = actors.nanos();
            if (stopRequested && !stopping) {
                stopping = true;
                deadline.set(now);
                grace = Math.min(grace, STOP_GRACE_NANOS);
            }
            while (!stopping && next < events.size() && due(events.get(next), now - start)) {
                lifecycle.fire(events.get(next), (now - start) / 1e9);
                next++;
                now = actors.nanos();
            }
            long wake = now + SAMPLE_NANOS;
            ScenarioEvent upcoming = next < events.size() ? events.get(next) : null;
            if (upcoming != null && upcoming.after() < 0) {
                wake = Math.min(wake, start + upcoming.at().toNanos());
            }
            boolean done = actors.runFor(Math.max(0, wake - now), running, upcoming != null && upcoming.after() >= 0
                    ? () -> metrics.completedCount() >= upcoming.after() : NEVER);
            now = actors.nanos();
            long completed = metrics.completedCount();
            samples.add(new long[] {now - start, completed});
            progress.update(completed, now - start);
            if (completed != lastCompleted) {
                lastCompleted = completed;
                lastCompletionAt = now;
                lastProgress = now;
            }
            if (done) {
                break;
            }
            if ((next == events.size() || stopping) && now - lastProgress > grace) {
                List<String> stalled = StalledVcpus.find(actors, guests, running.running());
                if (!stalled.isEmpty()) {
                    return new Drive(stalled, lastCompletionAt - start, stopping ? "interrupted" : "stalled");
                }
                lastProgress = now;
            }
            if (now > hardLimit) {
                throw new SimulationException("the run did not finish: " + running.running()
                        + " vCPUs still busy after the time limit");
            }
        }
        lifecycle.notReached(events.subList(Math.min(next, events.size()), events.size()));
        return new Drive(List.of(), actors.nanos() - start, stopping ? "interrupted" : "done");
    }

    private static final java.util.function.BooleanSupplier NEVER = () -> false;

    /** Whether event {@code e} is due {@code sinceStart} nanoseconds into the run. */
    private boolean due(ScenarioEvent e, long sinceStart) {
        return e.after() >= 0 ? metrics.completedCount() >= e.after() : sinceStart >= e.at().toNanos();
    }

    /** A group's plan, and the plans of its vCPU ranges with their own workload. */
    private record GroupPlans(TemplateWorkload.Plan all, List<DomainGroup.VcpuWorkload> ranges,
                              List<TemplateWorkload.Plan> rangePlans) {
        TemplateWorkload.Plan of(int vcpu) {
            for (int i = 0; i < ranges.size(); i++) {
                if (vcpu >= ranges.get(i).first() && vcpu <= ranges.get(i).last()) {
                    return rangePlans.get(i);
                }
            }
            return all;
        }
    }

    private GroupPlans plansFor(DomainGroup g, int index) {
        String group = spec.groups().size() > 1 ? "group " + (index + 1) : "";
        List<TemplateWorkload.Plan> ranges = new ArrayList<>();
        for (DomainGroup.VcpuWorkload w : g.vcpuWorkloads()) {
            String name = (group.isEmpty() ? "" : group + " ") + "vcpus " + w.first()
                    + (w.last() > w.first() ? "-" + w.last() : "") + ": ";
            ranges.add(plan(w.workload(), name));
        }
        return new GroupPlans(plan(g.workload(), group.isEmpty() ? "" : group + ": "), g.vcpuWorkloads(), ranges);
    }

    private TemplateWorkload.Plan plan(List<org.ioreqsim.sim.scenario.AccessTemplate> templates, String logPrefix) {
        return new TemplateWorkload.Plan(templates, spec.run().think().toNanos(), spec.run().openLoop() ? spec.run().ratePerSec() : 0,
                spec.run().requests(), metrics, running, deadline, actors::nanos, log, logPrefix);
    }

    private void createGuests() {
        List<DomainConfig> configs = new ArrayList<>();
        List<DomainGroup> groupOf = new ArrayList<>();
        Map<Integer, GroupPlans> byDomid = new HashMap<>();
        for (int gi = 0; gi < spec.groups().size(); gi++) {
            DomainGroup g = spec.groups().get(gi);
            GroupPlans plan = plansFor(g, gi);
            int ports = Math.max(Xen.DEFAULT_MAX_EVTCHN_PORT, (g.vcpus() + 8) * (Xen.MAX_NR_IOREQ_SERVERS + 1));
            for (int i = 0; i < g.count(); i++) {
                int domid = configs.size() + 1;
                configs.add(DomainConfig.guest("guest" + domid, g.vcpus(), spec.xen().options())
                        .withEmulatedVga(g.vga()).withIntercepts(g.intercepts())
                        .withCpu(g.vendor(), g.family(), false).withMaxEvtchnPort(ports)
                        .withCreatePaused(g.usesDefaultServer()));
                byDomid.put(domid, plan);
                groupOf.add(g);
            }
        }
        plans = Map.copyOf(byDomid);
        List<CompletionStage<Hypervisor.DomainCreated>> pending = new ArrayList<>();
        for (DomainConfig cfg : configs) {
            pending.add(actors.askAsync(xen, r -> new Hypervisor.CreateDomain(cfg, -1, r)));
        }
        boolean stubdoms = spec.useStubdoms();
        for (int i = 0; i < pending.size(); i++) {
            Hypervisor.DomainCreated c = actors.await(pending.get(i));
            if (!c.domid().isOk()) {
                throw new SimulationException("creating a domain failed: " + c.domid().describe());
            }
            int domid = c.domid().value();
            if (domid != i + 1) {
                throw new SimulationException("domain " + (i + 1) + " was created as d" + domid);
            }
            guests.add(new Guest(domid, c.domain(), groupOf.get(i), stubdoms ? pending.size() + 1 + i : Xen.DOM0));
            if (groupOf.get(i).usesDefaultServer()) {
                // The domain builder (libxc, before the seed) records where the ioreq pages live.
                setParam(domid, HvmParam.IOREQ_PFN, Xen.LIBXC_IOREQ_PFN);
                setParam(domid, HvmParam.BUFIOREQ_PFN, Xen.LIBXC_BUFIOREQ_PFN);
            }
        }
        if (stubdoms) {
            List<CompletionStage<Hypervisor.DomainCreated>> stubs = new ArrayList<>();
            for (Guest g : guests) {
                stubs.add(actors.askAsync(xen, r -> new Hypervisor.CreateDomain(
                        DomainConfig.stubdom("dm" + g.domid, g.domid, spec.xen().options()), -1, r)));
            }
            for (int i = 0; i < stubs.size(); i++) {
                Hypervisor.DomainCreated c = actors.await(stubs.get(i));
                if (!c.domid().isOk() || c.domid().value() != guests.get(i).emulatorDomid) {
                    throw new SimulationException("creating the stub domain of d" + guests.get(i).domid + " failed: "
                            + c.domid().describe());
                }
            }
        }
    }

    /**
     * Starts the emulators in waves, the k-th server of every guest together, so that Xen hands out
     * server ids in the scenario's order (server k gets id k) whatever the threads do.
     */
    private void startEmulators() {
        int waves = guests.stream().mapToInt(g -> g.group.servers().size()).max().orElse(0);
        for (int k = 0; k < waves; k++) {
            List<Guest> wave = new ArrayList<>();
            for (Guest g : guests) {
                if (k < g.group.servers().size()) {
                    wave.add(g);
                }
            }
            CompletableFuture<List<EmulatorEvent.Started>> started = new CompletableFuture<>();
            ActorRef<EmulatorEvent> barrier = actors.spawn(StartBarrier.create(wave.size(), started, emulatorEvents),
                    "emulators-" + k);
            Map<Integer, ActorRef<IoreqServer.Command>> byDomid = new HashMap<>();
            for (Guest g : wave) {
                ActorRef<IoreqServer.Command> e = machine.spawnEmulator(g.emulatorConfig(k), barrier);
                byDomid.put(g.domid, e);
                e.tell(IoreqServer.Start.INSTANCE);
            }
            for (EmulatorEvent.Started s : actors.await(started)) {
                guests.get(s.targetDomid() - 1).emulators.put(s.serverId(), byDomid.get(s.targetDomid()));
            }
        }
    }

    /** The toolstack (dom0) sets an HVM param of a guest. */
    private void setParam(int domid, int index, long value) {
        HypercallResult r = actors.ask(xen, (ActorRef<HypercallResult> reply) -> new HypercallRequest(Xen.DOM0,
                new Hypercall.SetParam(domid, index, value), index, reply));
        if (!r.result().isOk()) {
            throw new SimulationException("setting " + HvmParam.name(index) + " of d" + domid + " failed: "
                    + r.result().describe());
        }
    }

    @Override
    public void close() {
        actors.close();
    }
}
