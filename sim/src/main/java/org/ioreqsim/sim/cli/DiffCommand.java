package org.ioreqsim.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.report.ReportOutput;
import org.ioreqsim.sim.run.ScenarioDiff;
import org.ioreqsim.sim.run.ScenarioDiffPage;
import org.ioreqsim.sim.scenario.RunSettings;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.ScenarioFile;
import org.ioreqsim.sim.script.ScriptDiff;
import org.ioreqsim.sim.script.ScriptParser;
import org.ioreqsim.sim.trace.AutoLayout;
import org.ioreqsim.sim.trace.LayoutLoader;
import org.ioreqsim.sim.trace.QemuTrace;
import org.ioreqsim.sim.trace.QemuTraceReader;
import org.ioreqsim.sim.trace.TraceDiff;
import org.ioreqsim.sim.trace.TraceDiffReport;
import org.ioreqsim.sim.trace.TraceLayout;
import org.ioreqsim.sim.trace.TraceReportPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ioreq-sim diff [INPUT]}: the same input at the seed commit and before it. A file named
 * {@code *.ioreq} is a script, {@code *.conf} a scenario, anything else a QEMU trace (plain or gzip);
 * no file is the built-in default scenario.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the same input with Xen as of the seed commit (2c257bd6, default ioreq server removed) "
                + "and as before it (legacyDefaultServer), and report what changed.",
            "A script (*.ioreq): every step whose result or side effects differ: dm_op and param answers, and "
                + "accesses handled by the default server before and the null handler now.",
            "A QEMU trace (any other file, plain or gzip): the trace replayed twice, before with QEMU on the "
                + "default ioreq server, now with QEMU on its own server; per region and request kind, the "
                + "accesses whose route changed and the reads whose guest-visible value changed.",
            "A scenario (*.conf, or none for the built-in default): the scenario run twice with one seed and request "
                + "count, before with each guest's first emulator on the default ioreq server; per access template, "
                + "where its accesses went in each run and how many reads saw all ones; lifecycle events whose result "
                + "differs."})
public final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions out = new OutputOptions();

    @Parameters(paramLabel = "SCRIPT|TRACE|SCENARIO", arity = "0..1", description = "A script (*.ioreq, "
            + "docs/scripts.md), a scenario (*.conf, docs/scenarios.md) or a QEMU trace (docs/traces.md); none: the "
            + "built-in default scenario.")
    Path file;

    @Option(names = "--layout", paramLabel = "NAME|FILE",
            description = "Traces only: auto (default: derived from the trace), qemu-i440fx, qemu-q35, or a HOCON "
                    + "layout file.")
    String layout;

    @Option(names = "--seed", description = "Traces and scenarios: seed of the runs (default 1, or the scenario's).")
    Long seed;

    @Option(names = "--requests", description = "Scenarios only: accesses per vCPU in each run (default: the "
            + "scenario's, or 2000 when it gives a duration).")
    Long requests;

    @Override
    public Integer call() throws IOException {
        String name = file == null || file.getFileName() == null ? "" : file.getFileName().toString();
        if (file == null || name.endsWith(".conf")) {
            return scenario();
        }
        if (requests != null) {
            throw new UserInputException("--requests applies to scenarios; " + file + " is not one (*.conf)");
        }
        if (name.endsWith(".ioreq")) {
            return script();
        }
        return trace();
    }

    private int scenario() throws IOException {
        if (layout != null) {
            throw new UserInputException("--layout applies to traces; " + (file == null ? "the default scenario"
                    : file) + " is a scenario");
        }
        Scenario s = file == null ? Scenario.defaults() : ScenarioFile.load(file);
        if (s.fleet()) {
            throw new UserInputException(file + ": a fleet scenario (hosts) runs with run, not diff");
        }
        if (requests != null && requests < 1) {
            throw new UserInputException("--requests must be at least 1");
        }
        RunSettings run = s.run().withSeed(seed != null ? seed : s.run().seed());
        s = s.withRun(requests != null ? run.withRequests(requests, run.duration()) : run);
        ReportOutput<ScenarioDiff.Report> output = new ReportOutput<>(spec, out.json, out.report);
        output.emit(ScenarioDiff.run(s), ScenarioDiff::render, ScenarioDiffPage::html);
        return 0;
    }

    private int script() throws IOException {
        for (Object[] o : new Object[][] {{"--layout", layout}, {"--seed", seed}, {"--report", out.report}}) {
            if (o[1] != null) {
                throw new UserInputException(o[0] + " applies to traces; " + file + " is a script (*.ioreq)");
            }
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        List<ScriptDiff.Difference> diffs = ScriptDiff.diff(new ScriptParser(file.toString()).parse(lines));
        if (out.json) {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(java.util.Map.of(
                    "script", file.toString(), "differences", diffs.stream().map(ScriptDiff.Difference::json).toList())));
        } else {
            diffs.forEach(d -> spec.commandLine().getOut().print(d.render()));
            spec.commandLine().getOut().printf("%d step(s) differ between the seed and the Xen before it%n",
                    diffs.size());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int trace() throws IOException {
        TraceLayout given = layout == null || layout.equals(AutoLayout.NAME) ? null : LayoutLoader.load(layout);
        QemuTrace trace = QemuTraceReader.read(file);
        TraceLayout l = given != null ? given : AutoLayout.derive(trace);
        ReportOutput<TraceDiffReport> output = new ReportOutput<>(spec, out.json, out.report);
        output.emit(TraceDiff.run(trace, l, seed == null ? 1 : seed), TraceDiffReport::render, TraceReportPage::html);
        return 0;
    }
}
