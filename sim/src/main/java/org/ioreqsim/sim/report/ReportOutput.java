package org.ioreqsim.sim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command's report goes: {@code --report DIR} (checked before the work starts, written after),
 * then stdout as one JSON object ({@code --json}) or as the console text.
 *
 * @param <R> the report type: serialised as it is for JSON and report.json
 */
public final class ReportOutput<R> {
    private final CommandSpec spec;
    private final boolean json;
    private final ReportDirectory dir;

    /** Checks {@code reportDir} (if any) can be written, so that bad input fails before anything runs. */
    public ReportOutput(CommandSpec spec, boolean json, Path reportDir) {
        this.spec = spec;
        this.json = json;
        this.dir = reportDir == null ? null : new ReportDirectory(reportDir);
        if (dir != null) {
            dir.check();
        }
    }

    /** Writes the report directory (JSON and {@code html}), then prints {@code report}. */
    public void emit(R report, Function<R, String> text, Function<R, String> html) throws IOException {
        if (dir != null) {
            dir.write(report, html.apply(report));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            out.print(text.apply(report));
        }
        out.flush();
    }
}
