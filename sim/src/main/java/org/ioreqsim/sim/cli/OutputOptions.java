package org.ioreqsim.sim.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The output flags every command that reports shares, as one picocli mixin: {@code --json} instead of
 * text, {@code --report DIR} for a page beside it. {@link WithProgress} adds {@code --quiet} for the
 * commands that draw a progress line.
 */
public class OutputOptions {

    @Option(names = "--json", description = "Print JSON instead of text (one object; for script, one per step).")
    boolean json;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write DIR/report.json (the --json output) "
            + "and DIR/index.html (the report as a page, with its charts and tables).")
    Path report;

    /** The output flags of a command that draws a progress line while it works. */
    public static final class WithProgress extends OutputOptions {
        @Option(names = "--quiet", description = "No progress line.")
        boolean quiet;

        /** Whether to draw progress: not with {@code --quiet}, nor under {@code --json}. */
        boolean progress() {
            return !quiet && !json;
        }
    }
}
