package org.ioreqsim.sim.stress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Runs a stress campaign under controlled execution: one schedule per seed, on as many workers as
 * asked (each its own controlled actor system), then — for the failing seeds and the first seed of
 * each finding — the schedule again with every detail, shrunk, written as a trace and as a JUnit test.
 * Results do not depend on the number of workers: each seed's schedule depends on the seed alone.
 */
public final class StressRunner {
    /** Schedules the shrinking of one violation may run (a few seconds at most). */
    static final int SHRINK_BUDGET = 2000;

    /**
     * @param cfg            what to explore
     * @param firstSeed      the first seed
     * @param seeds          how many seeds (schedules)
     * @param workers        threads
     * @param traceDir       where traces go (null: none)
     * @param shrink         shrink violations before writing them
     * @param shrinkFindings shrink findings too
     * @param maxTraces      most violation traces to write
     * @param testName       how the run was started (recorded in traces)
     */
    public record Options(StressConfig cfg, long firstSeed, int seeds, int workers, Path traceDir, boolean shrink,
                          boolean shrinkFindings, int maxTraces, String testName) {
    }

    private StressRunner() {
    }

    public static StressReport run(Options o, java.util.function.IntConsumer progress) {
        return run(o, progress, () -> false);
    }

    /**
     * As {@link #run(Options, java.util.function.IntConsumer)}, stopping early when {@code stop} says so
     * (Ctrl-C): the schedules under way finish, no new one starts, and the report covers the finished ones,
     * marked as interrupted. Violation traces are then written unshrunk, so the command ends promptly.
     */
    public static StressReport run(Options o, java.util.function.IntConsumer progress, BooleanSupplier stop) {
        SeedSummary[] results = new SeedSummary[o.seeds()];
        AtomicLong next = new AtomicLong(0);
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        int workers = Math.max(1, Math.min(o.workers(), o.seeds()));
        java.util.concurrent.CyclicBarrier ready = new java.util.concurrent.CyclicBarrier(workers);
        long[] start = new long[1];
        for (int w = 1; w < workers; w++) {
            String name = "stress-w" + w;
            Thread t = new Thread(() -> {
                try (ScheduleRunner r = new ScheduleRunner(name)) {
                    await(ready);
                    work(r, o, results, next, done, progress, stop);
                } catch (RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        try (ScheduleRunner main = new ScheduleRunner("stress-w0")) {
            await(ready);
            start[0] = System.nanoTime();
            work(main, o, results, next, done, progress, stop);
            for (Thread t : threads) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            double secs = (System.nanoTime() - start[0]) / 1e9;
            boolean interrupted = stop.getAsBoolean();
            SeedSummary[] finished = Arrays.stream(results).filter(Objects::nonNull).toArray(SeedSummary[]::new);
            Options writing = interrupted ? new Options(o.cfg(), o.firstSeed(), o.seeds(), o.workers(), o.traceDir(),
                    false, false, o.maxTraces(), o.testName()) : o;
            return report(writing, main, finished, secs, workers, interrupted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** Every worker's actor system is up (start-up, a second or two, is not part of the measurement). */
    private static void await(java.util.concurrent.CyclicBarrier b) {
        try {
            b.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.BrokenBarrierException e) {
            throw new IllegalStateException("a worker failed to start", e);
        }
    }

    private static void work(ScheduleRunner r, Options o, SeedSummary[] results, AtomicLong next, AtomicInteger done,
                             java.util.function.IntConsumer progress, BooleanSupplier stop) {
        while (!stop.getAsBoolean()) {
            long i = next.getAndIncrement();
            if (i >= results.length) {
                return;
            }
            results[(int) i] = runSeed(r, o.cfg(), o.firstSeed() + i);
            progress.accept(done.incrementAndGet());
        }
    }

    /**
     * Runs one seed's schedule as a campaign does, on {@code r} (from the thread that created it): what a seed
     * contributes to a campaign's report depends on the configuration and the seed alone.
     */
    public static SeedSummary runSeed(ScheduleRunner r, StressConfig cfg, long seed) {
        Program p = ProgramGenerator.generate(cfg, seed);
        ScheduleResult res = r.run(cfg, seed, p, Strategies.create(cfg.strategy(), cfg.depth()),
                ScheduleRunner.RunOptions.DEFAULT);
        Violation v = res.violations().isEmpty() ? null : res.violations().get(0);
        if (v == null && res.divergence() != null) {
            v = new Violation("harness.divergence", res.divergence(), res.steps());
        }
        return new SeedSummary(seed, res.steps(), res.digest(), v, res.findings().keySet(), res.coverage());
    }

    /**
     * The report of a campaign whose seeds ran elsewhere (cluster members): {@code results} in seed order, each
     * seed once. Violation and finding traces are written here, as a local run writes them; with
     * {@code interrupted}, violations unshrunk.
     */
    public static StressReport merge(Options o, List<SeedSummary> results, double secs, int workers,
                                     boolean interrupted) {
        Options writing = interrupted ? new Options(o.cfg(), o.firstSeed(), o.seeds(), o.workers(), o.traceDir(),
                false, false, o.maxTraces(), o.testName()) : o;
        SeedSummary[] finished = results.toArray(SeedSummary[]::new);
        boolean traces = o.traceDir() != null && results.stream()
                .anyMatch(s -> s.violation() != null || !s.findings().isEmpty());
        if (!traces) {
            return report(writing, null, finished, secs, workers, interrupted);
        }
        try (ScheduleRunner runner = new ScheduleRunner("stress-merge")) {
            return report(writing, runner, finished, secs, workers, interrupted);
        }
    }

    private static StressReport report(Options o, ScheduleRunner runner, SeedSummary[] results, double secs,
                                       int workers, boolean interrupted) {
        long steps = 0;
        int failing = 0;
        Digest run = new Digest();
        Map<String, int[]> findingCounts = new TreeMap<>();
        Map<String, Long> findingFirst = new TreeMap<>();
        EnumMap<RaceScenario, int[]> covered = new EnumMap<>(RaceScenario.class);
        EnumMap<RaceScenario, Long> coveredFirst = new EnumMap<>(RaceScenario.class);
        List<StressReport.ViolationEntry> violations = new ArrayList<>();
        for (SeedSummary s : results) {
            steps += s.steps();
            run.update(s.digest());
            for (String f : s.findings()) {
                findingCounts.computeIfAbsent(f, k -> new int[1])[0]++;
                findingFirst.putIfAbsent(f, s.seed());
            }
            for (RaceScenario c : s.coverage()) {
                covered.computeIfAbsent(c, k -> new int[1])[0]++;
                coveredFirst.putIfAbsent(c, s.seed());
            }
            if (s.violation() != null) {
                failing++;
                String[] files = violations.size() < o.maxTraces() && o.traceDir() != null
                        ? writeTrace(o, runner, s.seed(), Shrinker.sameViolation(s.violation().rule()),
                        s.violation().rule(), o.shrink()) : new String[3];
                violations.add(new StressReport.ViolationEntry(s.seed(), s.violation().rule(), s.violation().detail(),
                        s.violation().step(), files[0], files[1], files[2]));
            }
        }
        Map<String, StressReport.FindingEntry> findings = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : findingCounts.entrySet()) {
            Hazards.Hazard h = Hazards.ALL.get(e.getKey());
            long first = findingFirst.get(e.getKey());
            String trace = o.traceDir() == null ? null
                    : writeTrace(o, runner, first, Shrinker.sameFinding(e.getKey()), e.getKey(), o.shrinkFindings())[0];
            findings.put(e.getKey(), new StressReport.FindingEntry(e.getValue()[0], first,
                    h == null ? "" : h.description(), h == null ? null : h.fixedBy(), null, trace));
        }
        Map<String, StressReport.CoverageEntry> coverage = new LinkedHashMap<>();
        for (RaceScenario c : RaceScenario.values()) {
            int[] n = covered.get(c);
            coverage.put(c.key(), new StressReport.CoverageEntry(c.description(), n != null, n == null ? 0 : n[0],
                    n == null ? -1 : coveredFirst.get(c)));
        }
        String last = results.length == 0 ? "" : results[results.length - 1].digest();
        return new StressReport("controlled", o.cfg(), Strategies.create(o.cfg().strategy(), o.cfg().depth()).describe(),
                o.firstSeed(), results.length, secs, results.length / Math.max(secs, 1e-9), steps,
                steps / Math.max(secs, 1e-9), workers, failing, violations, findings, coverage, last, run.toString(),
                o.seeds(), interrupted);
    }

    /**
     * Runs seed {@code seed} again with details, shrinks it if asked, and writes its trace and JUnit test.
     * Returns the trace's path, the test's path and the shrunk size (any may be null).
     */
    static String[] writeTrace(Options o, ScheduleRunner runner, long seed, Predicate<ScheduleResult> same, String name,
                               boolean shrink) {
        StressConfig cfg = o.cfg();
        Program program = ProgramGenerator.generate(cfg, seed);
        ScheduleResult r = runner.run(cfg, seed, program, Strategies.create(cfg.strategy(), cfg.depth()),
                ScheduleRunner.RunOptions.DEFAULT);
        StressTrace.Shrunk sizes = null;
        List<String> decisions = r.decisions();
        if (shrink && same.test(r)) {
            Shrinker.Shrunk s = new Shrinker(runner, cfg, seed, Strategies.of(cfg), same, SHRINK_BUDGET).shrink(program, r);
            program = s.program();
            decisions = s.run().decisions();
            sizes = s.sizes();
        }
        ScheduleResult detailed = runner.run(cfg, seed, program, ReplayStrategy.exact(decisions),
                ScheduleRunner.RunOptions.DEFAULT.withDetails());
        String strategy = sizes == null ? Strategies.create(cfg.strategy(), cfg.depth()).describe()
                : Strategies.create(cfg.strategy(), cfg.depth()).describe() + ", shrunk";
        StressTrace t = Traces.of(o.testName(), cfg, strategy, program, detailed, true, sizes);
        String base = "seed-" + seed + "-" + name.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT);
        Path file = o.traceDir().resolve(base + ".trace.json");
        try {
            Traces.write(file, t);
            String junit = null;
            if (!detailed.violations().isEmpty() || detailed.findings().containsKey(name)) {
                Path test = o.traceDir().resolve(JUnitExporter.className(seed, name) + ".java");
                Files.writeString(test, JUnitExporter.source(t, name, !detailed.violations().isEmpty()));
                junit = test.toString();
            }
            return new String[] {file.toString(), junit, sizes == null ? null : sizes.describe()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
