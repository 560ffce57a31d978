package org.ioreqsim.sim.stress;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one controlled schedule did.
 *
 * @param seed          the schedule's seed (program and scheduling)
 * @param steps         steps run
 * @param timers        virtual-time advances
 * @param digest        the run digest
 * @param violations    broken rules (empty for a clean schedule)
 * @param findings      first occurrence of each hazard reached
 * @param findingCounts occurrences per hazard
 * @param coverage      race scenarios reached
 * @param decisions     the key chosen at every step
 * @param messages      the message kind delivered at every step
 * @param details       the whole message at every step (only when asked for)
 * @param events        the model's events, each after the number of its step (only when asked for)
 * @param faults        fault decisions, one character per delivery
 * @param preemptions   the steps that switched away from an actor that could have continued
 * @param divergence    why an exact replay could not follow its recording, or null
 * @param quiescent     the schedule ran until nothing could run (not stopped at a violation or the budget)
 */
public record ScheduleResult(long seed, int steps, int timers, String digest, List<Violation> violations,
                             Map<String, Finding> findings, Map<String, Integer> findingCounts,
                             Set<RaceScenario> coverage, List<String> decisions, List<String> messages,
                             List<String> details, List<String> events, String faults, List<Integer> preemptions,
                             String divergence, boolean quiescent) {

    public boolean failed() {
        return !violations.isEmpty() || divergence != null;
    }

    /** The first violation's rule, or null. */
    public String firstRule() {
        return violations.isEmpty() ? null : violations.get(0).rule();
    }
}
