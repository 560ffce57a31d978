package org.ioreqsim.sim.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * PropertyResult p = StressReplay.property(Path.of("stress-traces/seed-7-ports-leak.trace.json"), "ports.leak", 8);
 * assertTrue(p.holds(), p::describe);
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

    /**
     * The property a regression test asserts: the trace's program (shrunk, as exported) run again under
     * the strategy it was recorded with — once guided by the recorded decisions, then with the trace's
     * seed and the {@code seeds - 1} seeds after it, each drawing its own schedule (and faults, if the
     * program has fault rates) — and, for each run, whether {@code rule} fired. Unlike an exact replay
     * this does not depend on the model taking the same steps: a fix that changes the schedule still
     * gets judged, by the rule.
     */
    public static PropertyResult property(String traceJson, String rule, int seeds) {
        return property(Traces.fromJson(traceJson, "trace"), rule, seeds);
    }

    public static PropertyResult property(Path file, String rule, int seeds) {
        return property(Traces.read(file), rule, seeds);
    }

    public static PropertyResult property(StressTrace t, String rule, int seeds) {
        ScheduleRunner runner = ControlledHarness.shared().runner();
        List<PropertyResult.Run> runs = new ArrayList<>();
        ScheduleResult g = runner.run(t.config(), t.seed(), t.program(),
                ReplayStrategy.guided(t.decisions(), Strategies.create(t.config().strategy(), t.config().depth())),
                new ScheduleRunner.RunOptions(false, false, t.faults()));
        runs.add(new PropertyResult.Run("guided", t.seed(), g.violations(), g.divergence()));
        for (int i = 0; i < seeds; i++) {
            long seed = t.seed() + i;
            ScheduleResult r = runner.run(t.config(), seed, t.program(),
                    Strategies.create(t.config().strategy(), t.config().depth()),
                    new ScheduleRunner.RunOptions(false, false, null));
            runs.add(new PropertyResult.Run(t.config().strategy(), seed, r.violations(), r.divergence()));
        }
        return new PropertyResult(rule, runs);
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
