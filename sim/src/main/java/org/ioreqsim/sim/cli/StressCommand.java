package org.ioreqsim.sim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.cluster.ClusterNode;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.report.ReportOutput;
import org.ioreqsim.sim.stress.CodeFingerprint;
import org.ioreqsim.sim.stress.FreeRunner;
import org.ioreqsim.sim.stress.StrategyComparison;
import org.ioreqsim.sim.stress.StressConfig;
import org.ioreqsim.sim.stress.StressFeature;
import org.ioreqsim.sim.stress.StressReport;
import org.ioreqsim.sim.stress.StressReportPage;
import org.ioreqsim.sim.stress.StressRunner;
import org.ioreqsim.sim.stress.distributed.ClusterCampaign;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ioreq-sim stress}: explore create/destroy races under a controlled (or free) scheduler. */
@Command(name = "stress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explore create/destroy/map/enable races while vCPUs do I/O: one schedule per seed, "
                + "every actor on a deterministic scheduler, monitors checking the spec at every step.",
            "Reports schedules/s, steps/s, violations (broken rules, with replayable shrunk traces), findings "
                + "(known Xen hazards reached, by name) and race-scenario coverage. Exit code 1 if any "
                + "schedule broke a rule; 2 for bad input, and for a campaign on a cluster that lost every worker "
                + "(its report covers the seeds that finished and lists those that did not run)."})
public final class StressCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions.WithProgress out = new OutputOptions.WithProgress();

    @Option(names = "--seeds", description = "Schedules to run, seeds --start.. (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int seeds;

    @Option(names = "--seed", description = "Run this one seed (prints its digest).")
    Long seed;

    @Option(names = "--start", description = "First seed of --seeds (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long start;

    @Option(names = "--strategy", description = "random, pct or pct-lifecycle (default: ${DEFAULT-VALUE}).",
            defaultValue = "pct")
    String strategy;

    @Option(names = "--depth", description = "PCT depth d: d-1 priority change points (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int depth;

    @Option(names = "--domains", description = "Guest domains (default: 1).")
    Integer domains;

    @Option(names = "--vcpus", description = "vCPUs per domain, at most (default: 2).")
    Integer vcpus;

    @Option(names = "--servers", description = "Emulator clients (servers) per domain, at most (default: 2).")
    Integer servers;

    @Option(names = "--ops", description = "Operations per program, at most (default: 40).")
    Integer ops;

    @Option(names = "--fix", split = ",", arity = "1..*", paramLabel = "FLAG",
            description = "Xen fixes to turn on (or 'all'): fixOrphanedCompletion, fixBufferedDropClaim, "
                    + "skipNonBufferedInBroadcast, useLegacyGfns, fixAddVcpuCleanup.")
    List<String> fix = new ArrayList<>();

    @Option(names = "--faults", split = ",", paramLabel = "FAULT",
            description = "Opt-in notification faults: lost, dup, delay (or 'all').")
    List<String> faults = new ArrayList<>();

    @Option(names = "--no-swarm",
            description = "Same shape and operation mix for every seed (features only as --features lists).")
    boolean noSwarm;

    @Option(names = "--features", split = ",", paramLabel = "FEATURE",
            description = "Program features to turn on for every seed, the others left to swarm's draw (or 'all'): "
                    + "cf8-wide, bad-emulator, crash-restart, tight-ports, ring-wrap.")
    List<String> features = new ArrayList<>();

    @Option(names = "--max-steps", description = "Steps after which a schedule is a livelock (default: 20000).")
    Integer maxSteps;

    @Option(names = "--workers", description = "Threads (default: the number of CPUs).")
    Integer workers;

    @Option(names = "--free", description = "Free execution: the default dispatcher with real parallelism "
            + "(throughput stress; failures report the seed of the operation choices).")
    boolean free;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", description = "Run the seeds on the workers of the "
            + "cluster this member belongs to ('ioreq-sim node', 'ioreq-sim cluster up'): this process joins it to "
            + "submit, collects each seed's summary and writes the same report (and traces) here, then leaves. The "
            + "members' workers run the seeds (--workers is theirs: 'ioreq-sim node --workers').")
    String cluster;

    @Option(names = "--cluster-config", paramLabel = "FILE",
            description = "A HOCON file of Akka settings for this process as a cluster member (with --cluster).")
    Path clusterConfig;

    @Option(names = "--traces", description = "Directory for traces and JUnit tests (default: ${DEFAULT-VALUE}).",
            defaultValue = "stress-traces")
    Path traces;

    @Option(names = "--no-traces", description = "Write no traces.")
    boolean noTraces;

    @Option(names = "--no-shrink", description = "Write violations unshrunk.")
    boolean noShrink;

    @Option(names = "--shrink-findings", description = "Shrink the traces of findings too.")
    boolean shrinkFindings;

    @Option(names = "--max-traces", description = "Violation traces to write, at most (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int maxTraces;

    @Option(names = "--compare-strategies", description = "Run the seeds under every strategy (random, pct, "
            + "pct-lifecycle) and report how many seeds each needs to reach each race scenario and hazard.")
    boolean compareStrategies;

    @Override
    public Integer call() throws Exception {
        StressConfig cfg = config();
        ReportOutput<StressReport> output = new ReportOutput<>(spec, out.json, out.report);
        long first = seed != null ? seed : start;
        int count = seed != null ? 1 : seeds;
        check(count >= 1, "--seeds must be at least 1");
        int w = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        check(w >= 1 && w <= 64, "--workers must be 1..64");
        check(maxTraces >= 0, "--max-traces must be at least 0");
        if (cluster != null) {
            check(!free && !compareStrategies, "--cluster runs controlled campaigns only (drop --free and "
                    + "--compare-strategies)");
            ClusterSettings.parseHostPort("--cluster", cluster);
        }
        check(clusterConfig == null || cluster != null, "--cluster-config goes with --cluster");
        if (!noTraces && !compareStrategies) {
            org.ioreqsim.sim.report.ReportDirectory.checkDirectory("--traces", traces);
        }
        java.util.Set<Path> earlier = noTraces ? java.util.Set.of() : filesIn(traces);
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals("stress")) {
            args.remove(0);
        }
        String testName = ("ioreq-sim stress " + String.join(" ", args)).trim();
        if (compareStrategies) {
            check(!free, "--compare-strategies runs under controlled execution only (drop --free)");
            ReportOutput<StrategyComparison> cmp = new ReportOutput<>(spec, out.json, out.report);
            StrategyComparison c = StrategyComparison.run(cfg, first, count, w);
            cmp.emit(c, StrategyComparison::render, StrategyComparison::html);
            return c.strategies().values().stream().anyMatch(p -> p.violations() > 0) ? 1 : 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        boolean showProgress = out.progress() && System.console() != null && count > 1;
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Interruption ctrlC = new Interruption(() -> stop.set(true));
        try {
            StressReport report;
            StressRunner.Options options = new StressRunner.Options(cfg, first, count, w, noTraces ? null : traces,
                    !noShrink, shrinkFindings, maxTraces, testName);
            if (cluster != null) {
                report = onCluster(options, p -> progress(err, showProgress, p, count), stop::get);
            } else if (free) {
                report = FreeRunner.run(cfg, first, count, w, p -> progress(err, showProgress, p, count), stop::get);
            } else {
                report = StressRunner.run(options, p -> progress(err, showProgress, p, count), stop::get);
            }
            if (showProgress) {
                err.print("\r" + " ".repeat(60) + "\r");
                err.flush();
            }
            output.emit(report, StressReport::render, StressReportPage::html);
            if (!noTraces) {
                describeTraces(err, earlier);
            }
            if (report.lost() != null) {
                err.printf("ioreq-sim stress: the campaign on the cluster ended early: %s; %,d of %,d seeds did not run "
                        + "(the report covers the others)%n", report.lost().reason(), report.lost().seeds(), count);
                err.flush();
                return Main.BAD_INPUT;
            }
            return report.violations() > 0 ? 1 : 0;
        } finally {
            ctrlC.release();
        }
    }

    /** Joins the cluster at {@code --cluster} as a client, runs the campaign there, and leaves. */
    private StressReport onCluster(StressRunner.Options options, java.util.function.IntConsumer progress,
                                   java.util.function.BooleanSupplier stop) {
        var code = CodeFingerprint.current();
        ClusterNode node = ClusterNode.start(ClusterSettings.client(cluster, clusterConfig, code.version(),
                code.model()), List.of());
        try {
            return ClusterCampaign.run(node, options, progress, stop);
        } finally {
            node.close();
        }
    }

    /** Says how many trace files this run wrote, how many replaced an earlier run's, and what else is there. */
    private void describeTraces(PrintWriter err, java.util.Set<Path> earlier) {
        java.util.Set<Path> now = filesIn(traces);
        long written = now.stream().filter(p -> !earlier.contains(p) || modifiedSinceStart(p)).count();
        long replaced = now.stream().filter(p -> earlier.contains(p) && modifiedSinceStart(p)).count();
        long older = now.size() - written;
        if (written + older > 0) {
            err.printf("traces in %s: %d written by this run%s%s%n", traces, written,
                    replaced > 0 ? " (" + replaced + " replaced files of an earlier run)" : "",
                    older > 0 ? "; " + older + " other file(s) there are from earlier runs" : "");
            err.flush();
        }
    }

    private final long startedMillis = System.currentTimeMillis();

    private boolean modifiedSinceStart(Path p) {
        try {
            return java.nio.file.Files.getLastModifiedTime(p).toMillis() >= startedMillis - 1000;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static java.util.Set<Path> filesIn(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return java.util.Set.of();
        }
        try (var files = java.nio.file.Files.list(dir)) {
            return files.collect(java.util.stream.Collectors.toSet());
        } catch (java.io.IOException e) {
            return java.util.Set.of();
        }
    }

    private static void progress(PrintWriter err, boolean show, int done, int total) {
        if (show && (done % 100 == 0 || done == total)) {
            err.printf(Locale.ROOT, "\r%,d / %,d schedules ", done, total);
            err.flush();
        }
    }

    StressConfig config() {
        StressConfig d = StressConfig.defaults();
        int dom = domains != null ? domains : d.domains();
        int v = vcpus != null ? vcpus : d.vcpus();
        int s = servers != null ? servers : d.servers();
        int o = ops != null ? ops : d.ops();
        check(dom >= 1 && dom <= 8, "--domains must be 1..8");
        check(v >= 1 && v <= 8, "--vcpus must be 1..8");
        check(s >= 1 && s <= 8, "--servers must be 1..8 (MAX_NR_IOREQ_SERVERS)");
        check(o >= 1 && o <= 2000, "--ops must be 1..2000");
        check(StressConfig.STRATEGIES.contains(strategy),
                "--strategy: '" + strategy + "' is not one of " + String.join(", ", StressConfig.STRATEGIES));
        check(depth >= 1 && depth <= 20, "--depth must be 1..20");
        int steps = maxSteps != null ? maxSteps : d.maxSteps();
        check(steps >= 100, "--max-steps must be at least 100");
        List<String> fixes = new ArrayList<>();
        for (String f : fix) {
            if (f.equalsIgnoreCase("all")) {
                fixes.addAll(XenOptions.FIX_NAMES);
                continue;
            }
            String known = XenOptions.FIX_NAMES.stream().filter(n -> n.equalsIgnoreCase(f)).findFirst().orElse(null);
            check(known != null, "--fix: '" + f + "' is not one of all, " + String.join(", ", XenOptions.FIX_NAMES));
            fixes.add(known);
        }
        List<String> fl = new ArrayList<>();
        for (String f : faults) {
            if (f.equalsIgnoreCase("all")) {
                fl.addAll(StressConfig.FAULTS);
                continue;
            }
            check(StressConfig.FAULTS.contains(f.toLowerCase(Locale.ROOT)),
                    "--faults: '" + f + "' is not one of all, " + String.join(", ", StressConfig.FAULTS));
            fl.add(f.toLowerCase(Locale.ROOT));
        }
        List<String> feats = new ArrayList<>();
        for (String f : features) {
            if (f.equalsIgnoreCase("all")) {
                feats.addAll(StressFeature.flags());
                continue;
            }
            StressFeature known = StressFeature.ofFlag(f);
            check(known != null, "--features: '" + f + "' is not one of all, " + String.join(", ", StressFeature.flags()));
            feats.add(known.flag());
        }
        return new StressConfig(dom, v, s, o, strategy, depth, fixes.stream().distinct().toList(),
                fl.stream().distinct().toList(), !noSwarm, steps, feats.stream().distinct().toList());
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UserInputException(message);
        }
    }
}
