package org.ioreqsim.sim.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.cluster.ClusterNode;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.report.ReportOutput;
import org.ioreqsim.sim.run.RunReport;
import org.ioreqsim.sim.run.RunReportPage;
import org.ioreqsim.sim.run.Simulation;
import org.ioreqsim.sim.run.fleet.FleetMembers;
import org.ioreqsim.sim.run.fleet.FleetReport;
import org.ioreqsim.sim.run.fleet.FleetReportPage;
import org.ioreqsim.sim.run.fleet.FleetReportText;
import org.ioreqsim.sim.run.fleet.FleetRun;
import org.ioreqsim.sim.scenario.BuiltInGuests;
import org.ioreqsim.sim.scenario.EmulatorPlacement;
import org.ioreqsim.sim.scenario.RunSettings;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.ScenarioFile;
import org.ioreqsim.sim.scenario.XenSettings;
import org.ioreqsim.sim.stress.CodeFingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ioreq-sim run}: a simulation with many vCPUs; prints throughput, latency and per-route load. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a simulation (the built-in default scenario unless flags or a scenario file change it) "
                + "and report ioreqs issued and completed by route, throughput, latency percentiles, per-server "
                + "load and the results of lifecycle events.")
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions.WithProgress out = new OutputOptions.WithProgress();

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "A HOCON scenario file (docs/scenarios.md): domain groups, servers, devices, workloads, "
                    + "lifecycle events. --seed, --requests, --duration and --xen override the file.")
    java.nio.file.Path scenarioFile;

    @Option(names = "--seed", description = "Seed of the run (default: 1, or the scenario file's).")
    Long seed;

    @Option(names = "--domains", description = "Guest domains (default: 4).")
    Integer domains;

    @Option(names = "--vcpus", description = "vCPUs per domain, 1..128 (default: 4).")
    Integer vcpus;

    @Option(names = "--servers", description = "ioreq servers per domain, 1..8 (default: 1).")
    Integer servers;

    @Option(names = "--requests", description = "Accesses per vCPU (default: 20000).")
    Long requests;

    @Option(names = "--duration", description = "Run for this long instead of a request count, e.g. 5s, 500ms.")
    Duration duration;

    @Option(names = "--think", description = "Guest time between accesses, e.g. 10us (default: 0).")
    Duration think;

    @Option(names = "--bufioreq", description = "Bufioreq mode of the servers: off, legacy, atomic (default).")
    String bufioreq;

    @Option(names = "--no-vga", description = "Domains without Xen's stdvga (VGA writes go synchronously).")
    boolean noVga;

    @Option(names = "--emulators", description = "Where device models run: dom0, stubdom, auto (default).")
    String emulators;

    @Option(names = "--xen", split = ",", paramLabel = "FLAG",
            description = "Xen version flags to turn on: legacyDefaultServer, fixOrphanedCompletion, "
                    + "fixBufferedDropClaim, skipNonBufferedInBroadcast, useLegacyGfns, amdExtendedCf8, "
                    + "fixAddVcpuCleanup.")
    List<String> xen = new ArrayList<>();

    @Option(names = "--deterministic", description = "Run on the controlled actor system with simulated time (one "
            + "actor step = 1 us on one simulated CPU; lifecycle events at simulated times): the same scenario and seed "
            + "give the same figures every time. Without it the run is free: real threads, wall-clock figures that "
            + "vary from run to run.")
    boolean deterministic;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", description = "Run a fleet scenario (a scenario file with "
            + "hosts) on the cluster of the member at HOST:PORT, joining it as a client member that holds no host. "
            + "Without it a fleet runs on a one-member cluster in this JVM.")
    String cluster;

    @Option(names = "--cluster-config", paramLabel = "FILE", description = "A HOCON file of Akka settings for this "
            + "process as a cluster member (a fleet scenario only).")
    java.nio.file.Path clusterConfig;

    /** Without --requests or --duration, at most this many accesses in all (seconds on 2 cores). */
    static final long DEFAULT_BUDGET = 2_000_000;
    /** Above this many accesses, the run says how long it may take before it starts. */
    static final long LONG_RUN = 50_000_000;
    /** The rate the estimate assumes: what 2 cores manage on the default scenario, roughly. */
    static final double ESTIMATE_RATE = 300_000;

    @Override
    public Integer call() throws Exception {
        Scenario s = scenarioFile != null ? fromFile() : scenario();
        if (s.fleet()) {
            return runFleet(s);
        }
        if (cluster != null || clusterConfig != null) {
            throw new UserInputException((cluster != null ? "--cluster" : "--cluster-config") + " runs a fleet "
                    + "scenario (a scenario file with hosts, docs/scenarios.md)");
        }
        long total = s.run().requests() * s.totalVcpus();
        if (s.run().requests() > 0 && total > LONG_RUN) {
            spec.commandLine().getErr().printf(Locale.ROOT, "ioreq-sim run: %,d accesses (%,d per vCPU); at about "
                    + "%,.0f a second, what 2 cores manage on the default scenario, that is about %s. --duration "
                    + "bounds it.%n", total, s.run().requests(), ESTIMATE_RATE, roughly(total / ESTIMATE_RATE));
        }
        ReportOutput<RunReport> output = new ReportOutput<>(spec, out.json, out.report);
        RunReport r;
        try (Simulation sim = deterministic ? Simulation.deterministic(s, null) : Simulation.free(s)) {
            Interruption ctrlC = new Interruption(sim::requestStop);
            try {
                try (Progress progress = new Progress(spec, !out.progress(), s)) {
                    r = sim.run((Simulation.Progress) progress::update);
                }
                output.emit(r, RunReport::render, RunReportPage::html);
            } finally {
                ctrlC.release();
            }
        }
        return 0;
    }

    /**
     * A fleet scenario: on the cluster of {@code --cluster}, or on a one-member cluster in this JVM; the
     * report is the fleet's. Exit 1 if some host sent no figures (the report lists them).
     */
    private int runFleet(Scenario s) throws java.io.IOException {
        ReportOutput<FleetReport> output = new ReportOutput<>(spec, out.json, out.report);
        var code = CodeFingerprint.current();
        ClusterSettings settings;
        if (cluster == null) {
            int port = freePort();
            settings = ClusterSettings.worker("127.0.0.1", port, List.of("127.0.0.1:" + port), clusterConfig,
                    code.version(), code.model());
        } else {
            ClusterSettings.parseHostPort("--cluster", cluster);
            settings = ClusterSettings.client(cluster, clusterConfig, code.version(), code.model());
        }
        ClusterNode member = ClusterNode.start(settings, List.of(new FleetMembers()));
        FleetReport r;
        try {
            FleetRun run = new FleetRun(member.system(), s, deterministic);
            Interruption ctrlC = new Interruption(run::requestStop);
            try {
                try (Progress progress = new Progress(spec, !out.progress(), s)) {
                    r = run.run((Simulation.Progress) progress::update);
                }
                output.emit(r, FleetReportText::render, FleetReportPage::html);
            } finally {
                ctrlC.release();
            }
        } finally {
            member.close();
        }
        return r.lostHosts().isEmpty() ? 0 : Main.RUN_FAILED;
    }

    /** A free port on loopback, for the one member of a local fleet run. */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The scenario file, with the flags that may override it. */
    Scenario fromFile() {
        List<String> shaping = new ArrayList<>();
        if (domains != null) {
            shaping.add("--domains");
        }
        if (vcpus != null) {
            shaping.add("--vcpus");
        }
        if (servers != null) {
            shaping.add("--servers");
        }
        if (think != null) {
            shaping.add("--think");
        }
        if (bufioreq != null) {
            shaping.add("--bufioreq");
        }
        if (noVga) {
            shaping.add("--no-vga");
        }
        if (emulators != null) {
            shaping.add("--emulators");
        }
        if (!shaping.isEmpty()) {
            throw new UserInputException(shaping.get(0) + " cannot be combined with --scenario (the file describes "
                    + "the guests)");
        }
        Scenario f = ScenarioFile.load(scenarioFile);
        check(requests == null || duration == null, "give --requests or --duration, not both");
        long r = f.run().requests();
        Duration d = f.run().duration();
        if (requests != null) {
            check(requests >= 1, "--requests must be at least 1");
            r = requests;
        } else if (duration != null) {
            r = 0;
            d = DurationConverter.positive("--duration", duration);
        }
        RunSettings run = f.run().withSeed(seed != null ? seed : f.run().seed()).withRequests(r, d);
        return f.withRun(run).withXen(f.xen().withOptions(xenOptions(f.xen().options())));
    }

    /** The built-in scenario shaped by the flags. */
    Scenario scenario() {
        BuiltInGuests g = BuiltInGuests.DEFAULT;
        RunSettings run = RunSettings.DEFAULT.withSeed(seed != null ? seed : 1);
        XenSettings x = XenSettings.DEFAULT;
        int d = domains != null ? domains : g.domains();
        int v = vcpus != null ? vcpus : g.vcpus();
        int k = servers != null ? servers : g.servers();
        check(d >= 1, "--domains must be at least 1");
        check(d <= 30000, "--domains must be at most 30000");
        check(v >= 1 && v <= 128, "--vcpus must be 1..128 (HVM_MAX_VCPUS)");
        check(k >= 1 && k <= 8, "--servers must be 1..8 (MAX_NR_IOREQ_SERVERS)");
        g = g.withShape(d, v, k);
        if (duration != null) {
            check(requests == null, "give --requests or --duration, not both");
            run = run.withRequests(0, DurationConverter.positive("--duration", duration));
        } else if (requests != null) {
            check(requests >= 1, "--requests must be at least 1");
            run = run.withRequests(requests, run.duration());
        } else if ((long) d * v * run.requests() > DEFAULT_BUDGET) {
            long perVcpu = Math.max(1, DEFAULT_BUDGET / ((long) d * v));
            this.spec.commandLine().getErr().printf(Locale.ROOT, "ioreq-sim run: no --requests or --duration: %,d "
                    + "accesses per vCPU (not %,d), so that %,d vCPUs finish in seconds%n", perVcpu, run.requests(),
                    (long) d * v);
            run = run.withRequests(perVcpu, run.duration());
        }
        if (think != null) {
            run = run.withThink(DurationConverter.nonNegative("--think", think));
        }
        if (bufioreq != null || noVga) {
            BufioreqMode m = bufioreq == null ? g.bufioreqMode() : Enums.parse("--bufioreq", BufioreqMode.class,
                    bufioreq);
            g = g.withBufioreq(m, !noVga);
        }
        if (emulators != null) {
            x = x.withEmulators(Enums.parse("--emulators", EmulatorPlacement.class, emulators));
        }
        return Scenario.builtIn(g, run, x.withOptions(xenOptions(x.options())));
    }

    /** {@code base} with every --xen flag turned on (the file's options, or the seed's). */
    private XenOptions xenOptions(XenOptions base) {
        XenOptions o = base;
        try {
            for (String x : xen) {
                o = o.with(x.trim(), true);
            }
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--xen: " + e.getMessage());
        }
        return o;
    }

    private static String roughly(double seconds) {
        return seconds < 120 ? Math.round(seconds) + " seconds" : seconds < 7200 ? Math.round(seconds / 60)
                + " minutes" : String.format(Locale.ROOT, "%.1f hours", seconds / 3600);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UserInputException(message);
        }
    }

    /** Case-insensitive enum values for flags. */
    static final class Enums {
        private Enums() {
        }

        static <E extends Enum<E>> E parse(String flag, Class<E> type, String text) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(text.trim())) {
                    return e;
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT));
            }
            throw new UserInputException(flag + ": '" + text + "' is not one of " + String.join(", ", names));
        }
    }
}
