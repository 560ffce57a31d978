package org.ioreqsim.sim.stress;

import java.util.Set;

/**
 * What one seed's schedule contributes to a campaign's report: all that a campaign keeps of a seed, so a seed
 * run on another cluster member merges into the same report as one run here.
 *
 * @param seed      the seed
 * @param steps     steps the schedule ran
 * @param digest    the schedule's digest
 * @param violation its first broken rule, or null
 * @param findings  hazards reached, by name
 * @param coverage  race scenarios reached
 */
public record SeedSummary(long seed, int steps, String digest, Violation violation, Set<String> findings,
                          Set<RaceScenario> coverage) {
    public SeedSummary {
        findings = Set.copyOf(findings);
        coverage = Set.copyOf(coverage);
    }
}
