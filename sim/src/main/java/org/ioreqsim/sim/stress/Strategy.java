package org.ioreqsim.sim.stress;

import java.util.List;
import org.ioreqsim.sim.exec.ControlledExecutor;

/**
 * Chooses, at every step of a controlled schedule, which enabled actor (by key, see
 * {@link ControlledExecutor}) runs next. A strategy is seeded once per schedule and must choose from
 * nothing but its seed, the program and what it is shown, so that the same seed gives the same
 * schedule.
 */
public interface Strategy {

    /** What a strategy may look at. */
    interface StepView {
        /** Index of the step about to run. */
        int step();

        /** The message the actor's next run would deliver, or null. */
        Object peek(String key);

        /** The key chosen at the previous step, or null. */
        String previous();
    }

    /** {@code random}, {@code pct(d=3)}, ... */
    String describe();

    /** Prepares a schedule: {@code seed} is the schedule's scheduling seed. */
    void start(long seed, Program program);

    /** One of {@code enabled} (sorted, never empty). */
    String pick(List<String> enabled, StepView view);
}
