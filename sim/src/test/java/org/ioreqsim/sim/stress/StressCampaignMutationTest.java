package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stress campaign as a mutation killer: {@value #SEEDS} seeds of the default campaign must break no
 * rule and still reach Xen's known hazards by name. PIT runs it (the {@code mutation} profile,
 * docs/testing.md) after the model modules' unit tests, so a mutant in the model that the unit tests miss
 * but that the monitors catch is counted as killed. Tagged {@code mutation}: the default run leaves it out
 * ({@link StressSmokeTest} covers the same ground there).
 */
@Tag("mutation")
class StressCampaignMutationTest {
    static final int SEEDS = 150;
    private static ScheduleRunner runner;

    @BeforeAll
    static void start() {
        runner = new ScheduleRunner("mutation");
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    @Test
    void defaultCampaignBreaksNoRuleAndReachesTheHazards() {
        StressConfig cfg = StressConfig.defaults();
        Map<String, Integer> findings = new TreeMap<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            ScheduleResult r = runner.run(cfg, seed, ProgramGenerator.generate(cfg, seed),
                    Strategies.create(cfg.strategy(), cfg.depth()), ScheduleRunner.RunOptions.DEFAULT);
            // Stop at the first broken rule: a killed mutant should cost one failing seed, not the whole campaign.
            assertEquals(List.of(), r.violations(), "seed " + seed);
            r.findings().keySet().forEach(f -> findings.merge(f, 1, Integer::sum));
        }
        for (String h : List.of("H1", "H6", "H15")) {
            assertTrue(findings.containsKey(h), h + " reached in " + SEEDS + " seeds: " + findings);
        }
    }
}
