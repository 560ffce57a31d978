package org.ioreqsim.sim.testkit;

import java.util.List;
import org.ioreqsim.sim.stress.Violation;

/**
 * What running a (shrunk) stress program again under its strategy gave, for one rule: each run, and
 * whether the rule held in all of them. See {@link StressReplay#property}.
 *
 * @param rule the rule (violation name) the property is about
 * @param runs every run, in order
 */
public record PropertyResult(String rule, List<Run> runs) {

    public PropertyResult {
        runs = List.copyOf(runs);
    }

    /**
     * One run.
     *
     * @param how        {@code "guided"} (the recorded decisions where they still apply) or the strategy
     * @param seed       the schedule seed
     * @param violations the monitors' violations
     * @param divergence why the run stopped early, or null
     */
    public record Run(String how, long seed, List<Violation> violations, String divergence) {
        public Run {
            violations = List.copyOf(violations);
        }

        /** Whether {@code rule} fired in this run. */
        public boolean broke(String rule) {
            return violations.stream().anyMatch(v -> v.rule().equals(rule));
        }
    }

    /** The runs in which the rule fired. */
    public List<Run> violating() {
        return runs.stream().filter(r -> r.broke(rule)).toList();
    }

    /** The rule fired in no run. */
    public boolean holds() {
        return violating().isEmpty();
    }

    /** One line per run that broke the rule, with its first violation of it. */
    public String describe() {
        StringBuilder sb = new StringBuilder(rule).append(" broken in ").append(violating().size()).append(" of ")
                .append(runs.size()).append(" runs");
        for (Run r : violating()) {
            sb.append("\n  ").append(r.how()).append(" seed ").append(r.seed()).append(": ")
                    .append(r.violations().stream().filter(v -> v.rule().equals(rule)).findFirst().orElseThrow());
        }
        return sb.toString();
    }
}
