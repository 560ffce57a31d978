package org.ioreqsim.sim.testkit;

import java.nio.file.Path;
import org.ioreqsim.sim.stress.ReplayStrategy;
import org.ioreqsim.sim.stress.ScheduleResult;
import org.ioreqsim.sim.stress.ScheduleRunner;
import org.ioreqsim.sim.stress.Strategies;
import org.ioreqsim.sim.stress.StressTrace;
import org.ioreqsim.sim.stress.Traces;

/**
 * Replays stress traces (files written by {@code ./ioreq-sim stress}, or the text of one, as exported
 * JUnit tests embed it) on the calling thread's {@link ControlledHarness}.
 *
 * <pre>{@code
 * ReplayResult r = StressReplay.exact(Path.of("stress-traces/seed-42-h1.trace.json"));
 * assertTrue(r.matches());
 * }</pre>
 */
public final class StressReplay {
    private StressReplay() {
    }

    /** Follows the recorded decisions step by step; {@link ReplayResult#matches()} says whether it all agreed. */
    public static ReplayResult exact(String traceJson) {
        return exact(Traces.fromJson(traceJson, "trace"));
    }

    public static ReplayResult exact(Path file) {
        return exact(Traces.read(file));
    }

    public static ReplayResult exact(StressTrace t) {
        return replay(t, false);
    }

    /**
     * Follows the recorded decisions where the actors they name can run, and the trace's strategy
     * elsewhere: for a model that has changed since the trace was recorded (a regression test).
     */
    public static ReplayResult guided(String traceJson) {
        return replay(Traces.fromJson(traceJson, "trace"), true);
    }

    public static ReplayResult guided(Path file) {
        return replay(Traces.read(file), true);
    }

    private static ReplayResult replay(StressTrace t, boolean guided) {
        ScheduleRunner runner = ControlledHarness.shared().runner();
        ReplayStrategy s = guided
                ? ReplayStrategy.guided(t.decisions(), Strategies.create(t.config().strategy(), t.config().depth()))
                : ReplayStrategy.exact(t.decisions());
        ScheduleResult r = runner.run(t.config(), t.seed(), t.program(), s,
                new ScheduleRunner.RunOptions(t.stopOnViolation(), false, t.faults()));
        return new ReplayResult(r.digest(), t.expect().digest(), r.steps(), r.violations(), r.findings(),
                r.divergence() != null ? r.divergence()
                        : !guided && r.steps() != t.expect().steps() ? "ran " + r.steps() + " steps, the trace has "
                        + t.expect().steps() : null);
    }
}
