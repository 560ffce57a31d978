package org.ioreqsim.sim.stress;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.ioreqsim.ioreq.host.Host;

/**
 * Free execution: the same programs and monitors, on Akka's default dispatcher with real threads and a
 * real clock, many worlds at once, for throughput stress. Nothing is reproducible here but the program:
 * a failure names the seed of its operation choices, which a controlled run can then explore. The
 * monitors check what the model reports (events) and lane liveness; Xen's state is read only once a
 * world has gone quiet.
 */
public final class FreeRunner {
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    sealed interface Cmd {
    }

    private record Start(String name, Behavior<?> world, CompletableFuture<ActorRef<?>> started) implements Cmd {
    }

    private record Stop(ActorRef<?> world) implements Cmd {
    }

    /** One world in flight. */
    private static final class Running {
        final long seed;
        final Program program;
        final Monitor monitor;
        final int lanes;
        final long startedAt = System.nanoTime();
        ActorRef<?> ref;
        long lastActivity = -1;
        long quietSince;

        Running(long seed, Program program, Monitor monitor, int lanes) {
            this.seed = seed;
            this.program = program;
            this.monitor = monitor;
            this.lanes = lanes;
        }
    }

    private FreeRunner() {
    }

    public static StressReport run(StressConfig cfg, long first, int count, int workers, IntConsumer progress) {
        return run(cfg, first, count, workers, progress, () -> false);
    }

    /** As above, stopping early when {@code stop} says so (Ctrl-C): worlds under way are dropped unreported. */
    public static StressReport run(StressConfig cfg, long first, int count, int workers, IntConsumer progress,
                                   java.util.function.BooleanSupplier stop) {
        ActorSystem<Cmd> system = ActorSystem.create(guardian(), "ioreq-stress-free", ConfigFactory.parseString(
                "akka { loglevel = OFF, stdout-loglevel = OFF, log-dead-letters = off, use-slf4j = off,\n"
                        + " loggers = [\"akka.event.Logging$StandardOutLogger\"],\n"
                        + " coordinated-shutdown.run-by-jvm-shutdown-hook = off,\n"
                        + " actor.default-dispatcher.fork-join-executor.parallelism-max = " + Math.max(2, workers) + " }")
                .withFallback(ConfigFactory.defaultReference()));
        long start = System.nanoTime();
        int concurrent = Math.max(8, 32 * workers);
        List<Running> running = new ArrayList<>();
        Map<Long, Running> finished = new TreeMap<>();
        long next = first;
        try {
            while (finished.size() < count && !stop.getAsBoolean()) {
                while (running.size() < concurrent && next < first + count) {
                    running.add(launch(system, cfg, next++));
                }
                Thread.sleep(5);
                for (Iterator<Running> it = running.iterator(); it.hasNext();) {
                    Running r = it.next();
                    if (done(r)) {
                        it.remove();
                        r.monitor.atQuiescence(Map.of());
                        r.monitor.close();
                        system.tell(new Stop(r.ref));
                        finished.put(r.seed, r);
                        progress.accept(finished.size());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // shutting down
            }
        }
        return report(cfg, first, count, finished, (System.nanoTime() - start) / 1e9, workers, stop.getAsBoolean());
    }

    private static Running launch(ActorSystem<Cmd> system, StressConfig cfg, long seed) throws InterruptedException {
        Program p = ProgramGenerator.generate(cfg, seed);
        Monitor monitor = new Monitor(cfg.options(), false);
        Host host = new Host(monitor);
        monitor.attach(host);
        VcpuScripts scripts = new VcpuScripts(p, monitor);
        int lanes = 0;
        for (Program.DomainSetup d : p.domains()) {
            lanes += d.clients() + 1;
            monitor.ringStart(d.domid(), d.ringStart());
        }
        Running r = new Running(seed, p, monitor, lanes);
        CompletableFuture<ActorRef<?>> started = new CompletableFuture<>();
        system.tell(new Start("world-" + seed, StressWorld.create(p, cfg.options(), host, scripts, monitor, null), started));
        try {
            r.ref = started.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the world of seed " + seed, e);
        }
        return r;
    }

    /**
     * Every lane has finished, nothing has happened for a while and no vCPU is in a think (whose timer may
     * be late on a loaded machine: a think of 120 ms outlasted the quiet period once), or the world ran too long.
     */
    private static boolean done(Running r) {
        long now = System.nanoTime();
        long a = r.monitor.activity();
        if (a != r.lastActivity) {
            r.lastActivity = a;
            r.quietSince = now;
            return now - r.startedAt > LIMIT_NANOS;
        }
        boolean lanesDone = r.monitor.lanesFinished() >= r.lanes;
        return (lanesDone && now - r.quietSince > QUIET_NANOS && !r.monitor.anyVcpuThinking())
                || now - r.startedAt > LIMIT_NANOS;
    }

    @SuppressWarnings("unchecked")
    private static Behavior<Cmd> guardian() {
        return Behaviors.setup(ctx -> Behaviors.receive(Cmd.class)
                .onMessage(Start.class, m -> {
                    m.started().complete(ctx.spawn((Behavior<Object>) m.world(), m.name()));
                    return Behaviors.same();
                })
                .onMessage(Stop.class, m -> {
                    ctx.stop(m.world());
                    return Behaviors.same();
                })
                .build());
    }

    private static StressReport report(StressConfig cfg, long first, int asked, Map<Long, Running> done, double secs,
                                       int workers, boolean interrupted) {
        int failing = 0;
        long events = 0;
        List<StressReport.ViolationEntry> violations = new ArrayList<>();
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Long> firsts = new TreeMap<>();
        EnumMap<RaceScenario, int[]> covered = new EnumMap<>(RaceScenario.class);
        EnumMap<RaceScenario, Long> coveredFirst = new EnumMap<>(RaceScenario.class);
        for (Running r : done.values()) {
            events += r.monitor.activity();
            List<Violation> v = r.monitor.violations();
            if (!v.isEmpty()) {
                failing++;
                violations.add(new StressReport.ViolationEntry(r.seed, v.get(0).rule(), v.get(0).detail()
                        + " (free run: re-run the seed under controlled execution to explore it)", -1, null, null, null));
            }
            for (String f : r.monitor.findings().keySet()) {
                counts.computeIfAbsent(f, k -> new int[1])[0]++;
                firsts.putIfAbsent(f, r.seed);
            }
            for (RaceScenario c : r.monitor.coverage()) {
                covered.computeIfAbsent(c, k -> new int[1])[0]++;
                coveredFirst.putIfAbsent(c, r.seed);
            }
        }
        Map<String, StressReport.FindingEntry> findings = new LinkedHashMap<>();
        counts.forEach((k, n) -> {
            Hazards.Hazard h = Hazards.ALL.get(k);
            findings.put(k, new StressReport.FindingEntry(n[0], firsts.get(k), h == null ? "" : h.description(),
                    h == null ? null : h.fixedBy(), null, null));
        });
        Map<String, StressReport.CoverageEntry> coverage = new LinkedHashMap<>();
        for (RaceScenario c : RaceScenario.values()) {
            int[] n = covered.get(c);
            coverage.put(c.key(), new StressReport.CoverageEntry(c.description(), n != null, n == null ? 0 : n[0],
                    n == null ? -1 : coveredFirst.get(c)));
        }
        return new StressReport("free", cfg, "free (real threads)", first, done.size(), secs, done.size() / secs, events,
                events / secs, workers, failing, violations, findings, coverage, "n/a (free execution)",
                "n/a (free execution)", asked, interrupted);
    }
}
