package org.ioreqsim.sim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command's report goes: stdout first, as one JSON object ({@code --json}) or as the console
 * text, so that the results are on the screen whatever happens next; then {@code --report DIR}
 * (checked before the work starts, written after), with a line on stderr that says where.
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

    /** Prints {@code report}, then writes the report directory (JSON and {@code html}). */
    public void emit(R report, Function<R, String> text, Function<R, String> html) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            out.print(text.apply(report));
        }
        out.flush();
        if (dir != null) {
            writeDirectory(spec, dir, report, html.apply(report));
        }
    }

    /** Writes {@code report} into {@code dir} (if any) and says where on stderr. */
    public static void writeDirectory(CommandSpec spec, ReportDirectory dir, Object report, String html) {
        if (dir == null) {
            return;
        }
        boolean replaced = dir.hasReport();
        dir.write(report, html);
        PrintWriter err = spec.commandLine().getErr();
        err.println("report written to " + dir.dir().resolve("index.html") + (replaced ? " (replaced an earlier report)"
                : ""));
        err.flush();
    }
}
