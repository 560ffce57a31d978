package org.ioreqsim.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ioreqsim.sim.report.ReportDirectory;
import org.ioreqsim.sim.report.TraceReportPage;
import org.ioreqsim.sim.script.ScriptDiff;
import org.ioreqsim.sim.script.ScriptParser;
import org.ioreqsim.sim.trace.LayoutLoader;
import org.ioreqsim.sim.trace.QemuTrace;
import org.ioreqsim.sim.trace.QemuTraceReader;
import org.ioreqsim.sim.trace.TraceDiff;
import org.ioreqsim.sim.trace.TraceDiffReport;
import org.ioreqsim.sim.trace.TraceLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ioreq-sim diff INPUT}: the same input at the seed commit and before it. A file named
 * {@code *.ioreq} is a script; anything else is read as a QEMU trace (plain or gzip).
 */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the same input with Xen as of the seed commit (2c257bd6, default ioreq server removed) "
                + "and as before it (legacyDefaultServer), and report what changed.",
            "A script (*.ioreq): every step whose result or side effects differ: dm_op and param answers, and "
                + "accesses handled by the default server before and the null handler now.",
            "A QEMU trace (any other file, plain or gzip): the trace replayed twice, before with QEMU on the "
                + "default ioreq server, now with QEMU on its own server; per region and request kind, the "
                + "accesses whose route changed and the reads whose guest-visible value changed."})
public final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCRIPT|TRACE", description = "A script (*.ioreq, docs/scripts.md) or a QEMU trace "
            + "(docs/traces.md).")
    Path file;

    @Option(names = "--layout", paramLabel = "NAME|FILE",
            description = "Traces only: qemu-i440fx (default), qemu-q35, or a HOCON layout file.")
    String layout;

    @Option(names = "--seed", description = "Traces only: seed of the runs, printed in the report (default 1).")
    Long seed;

    @Option(names = "--json", description = "One JSON object with every difference.")
    boolean json;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Traces only: also write DIR/report.json (the --json object) and DIR/index.html (charts: "
                    + "accesses per region by change, and by route before and now; changed values per region).")
    Path report;

    @Override
    public Integer call() throws IOException {
        if (file.getFileName() != null && file.getFileName().toString().endsWith(".ioreq")) {
            return script();
        }
        return trace();
    }

    private int script() throws IOException {
        for (Object[] o : new Object[][] {{"--layout", layout}, {"--seed", seed}, {"--report", report}}) {
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
        if (json) {
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
        TraceLayout l = LayoutLoader.load(layout == null ? "qemu-i440fx" : layout);
        QemuTrace trace = QemuTraceReader.read(file);
        ReportDirectory dir = report == null ? null : new ReportDirectory(report);
        if (dir != null) {
            dir.check();
        }
        TraceDiffReport diff = TraceDiff.run(trace, l, seed == null ? 1 : seed);
        if (dir != null) {
            dir.write(diff, TraceReportPage.html(diff));
        }
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(diff));
        } else {
            spec.commandLine().getOut().print(diff.render());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
