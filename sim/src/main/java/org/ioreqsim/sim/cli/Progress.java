package org.ioreqsim.sim.cli;

import java.io.PrintWriter;
import org.ioreqsim.sim.scenario.Scenario;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A progress bar on stderr for runs longer than a couple of seconds; off with {@code --quiet}, with
 * {@code --json}, or when stderr is not a terminal.
 */
final class Progress implements AutoCloseable {
    private static final long SHOW_AFTER_NANOS = 2_000_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final long total;
    private final long started = System.nanoTime();
    private final String unit;
    private boolean drawn;

    /** The run's length in nanoseconds of run time, for a run with a duration; else 0. */
    private long durationNanos;

    Progress(CommandSpec spec, boolean quiet, Scenario s) {
        this(spec, quiet, s.run().requests() > 0 ? s.run().requests() * s.totalVcpus() : -1, "ioreqs");
        this.durationNanos = s.run().requests() > 0 ? 0 : s.run().duration().toNanos();
    }

    /** A run's progress: by completions towards the request count, or by run time towards the duration. */
    void update(long completed, long runNanos) {
        if (durationNanos <= 0) {
            update(completed);
            return;
        }
        long now = System.nanoTime();
        if (!enabled || now - started < SHOW_AFTER_NANOS) {
            return;
        }
        drawn = true;
        int width = 30;
        long percent = Math.min(100, 100 * runNanos / durationNanos);
        int filled = (int) Math.min(width, width * runNanos / durationNanos);
        err.printf("\r[%s%s] %3d%% of %.1fs  %,d %s ", "#".repeat(filled), ".".repeat(width - filled), percent,
                durationNanos / 1e9, completed, unit);
        err.flush();
    }

    /** A bar towards {@code total} (or a plain count when it is unknown, -1) of {@code unit}. */
    Progress(CommandSpec spec, boolean quiet, long total, String unit) {
        this.err = spec.commandLine().getErr();
        this.enabled = !quiet && System.console() != null;
        this.total = total;
        this.unit = unit;
    }

    void update(long completed) {
        long now = System.nanoTime();
        if (!enabled || now - started < SHOW_AFTER_NANOS) {
            return;
        }
        drawn = true;
        double secs = (now - started) / 1e9;
        if (total > 0) {
            int width = 30;
            int filled = (int) Math.min(width, width * completed / total);
            err.printf("\r[%s%s] %3d%%  %,d %s  %.1fs ", "#".repeat(filled), ".".repeat(width - filled),
                    Math.min(100, 100 * completed / total), completed, unit, secs);
        } else {
            err.printf("\r%,d %s  %.1fs ", completed, unit, secs);
        }
        err.flush();
    }

    @Override
    public void close() {
        if (drawn) {
            err.print("\r" + " ".repeat(70) + "\r");
            err.flush();
        }
    }
}
