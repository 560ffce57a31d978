package org.ioreqsim.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.bench.Bench;
import org.ioreqsim.sim.bench.BenchPlan;
import org.ioreqsim.sim.bench.BenchReport;
import org.ioreqsim.sim.bench.DispatcherComparison;
import org.ioreqsim.sim.bench.Figure;
import org.ioreqsim.sim.bench.Paired;
import org.ioreqsim.sim.bench.jmh.JmhRunner;
import org.ioreqsim.sim.run.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ioreq-sim bench}: the simulator measured against Akka's own limit for the same message
 * pattern, in one JVM: synchronous ioreqs per second and latency against the raw three-hop bound on
 * each shape, buffered writes against a raw bounded stream queue, spawn time and bytes per vCPU at
 * scale against trivial actors. See docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure the simulator against the raw Akka bound for the same message pattern "
                + "(sync ioreqs, buffered writes, spawn time and memory per vCPU). Takes a few minutes; "
                + "--quick is a smoke run of under a minute.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object: every figure with its name, unit and configuration.")
    boolean json;

    @Option(names = "--quick", description = "A small smoke run (under a minute): short loops, scale at 10,000 vCPUs.")
    boolean quick;

    @Option(names = "--runs", description = "Repetitions of every loop (default: 5, quick: 1).")
    Integer runs;

    @Option(names = "--duration", description = "Length of one loop, e.g. 2s, 500ms (default: 2s, quick: 300ms).")
    Duration duration;

    @Option(names = "--sections", split = ",", paramLabel = "SECTION",
            description = "Sections to run: sync, buffered, scale, controlled (default: all).")
    List<String> sections;

    @Option(names = "--child-heap", paramLabel = "SIZE",
            description = "-Xmx of the JVMs the scale measurement forks, e.g. 8g (default: 8g, quick: 2g).")
    String childHeap;

    @Option(names = "--akka", paramLabel = "HOCON",
            description = "Actor-system settings over the simulator's, for every loop (repeatable), e.g. "
                    + "'akka.actor.default-dispatcher.throughput = 5'.")
    List<String> akka = new ArrayList<>();

    @Option(names = "--compare-akka", paramLabel = "HOCON",
            description = "Instead of the sections: run the sync shapes under the settings and under each of "
                    + "these alternatives (repeatable), cycling through them in one JVM.")
    List<String> compareAkka = new ArrayList<>();

    @Option(names = "--chart", paramLabel = "FILE",
            description = "Also run the sweep from 1 to 1,000,000 vCPUs (one JVM per point) and draw "
                    + "throughput against vCPUs into this PNG.")
    Path chart;

    @Option(names = "--jmh", arity = "0..1", fallbackValue = "", paramLabel = "REGEX",
            description = "Run the JMH micro-benchmarks (those matching REGEX) instead, with one fork.")
    String jmh;

    @Override
    public Integer call() throws Exception {
        if (jmh != null) {
            JmhRunner.run(jmh, quick);
            return 0;
        }
        BenchPlan plan = plan();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        Paired.Progress progress = what -> {
            err.printf("bench %5.1fs: %s%n", (System.nanoTime() - started) / 1e9, what);
            err.flush();
        };
        System.setProperty("java.awt.headless", "true");
        BenchReport report;
        if (!compareAkka.isEmpty()) {
            List<Figure> figures = DispatcherComparison.run(plan, compareAkka, progress);
            report = BenchReport.of(plan, figures, 0);
        } else {
            report = Bench.run(plan, chart, progress);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            out.print(report.render());
        }
        out.flush();
        return 0;
    }

    BenchPlan plan() {
        Config settings = Simulation.akkaConfig();
        for (int i = akka.size() - 1; i >= 0; i--) {
            try {
                settings = ConfigFactory.parseString(akka.get(i)).withFallback(settings);
            } catch (ConfigException e) {
                throw new UserInputException("--akka: " + e.getMessage());
            }
        }
        for (String a : compareAkka) {
            try {
                ConfigFactory.parseString(a);
            } catch (ConfigException e) {
                throw new UserInputException("--compare-akka: " + e.getMessage());
            }
        }
        BenchPlan p = quick ? BenchPlan.quick(settings) : BenchPlan.full(settings);
        if (runs != null) {
            check(runs >= 1 && runs <= 1000, "--runs must be 1..1000");
            p = p.withRuns(runs);
        }
        if (duration != null) {
            Duration d = duration;
            check(d.toMillis() >= 10 && d.toSeconds() <= 600, "--duration must be 10ms..600s");
            p = p.withDuration(d);
        }
        if (sections != null) {
            Set<String> s = new LinkedHashSet<>();
            for (String x : sections) {
                String k = x.trim().toLowerCase(Locale.ROOT);
                check(BenchPlan.SECTIONS.contains(k), "--sections: '" + x + "' is not one of sync, buffered, scale, "
                        + "controlled");
                s.add(k);
            }
            p = p.withSections(s);
        }
        if (childHeap != null) {
            check(childHeap.matches("[1-9][0-9]*[mMgG]"), "--child-heap: '" + childHeap + "' is not a size such as "
                    + "8g or 512m");
            p = p.withChildHeap(childHeap);
        }
        if (chart != null) {
            check(chart.getFileName() != null && chart.getFileName().toString().endsWith(".png"),
                    "--chart: the file must end in .png");
        }
        return p;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UserInputException(message);
        }
    }
}
