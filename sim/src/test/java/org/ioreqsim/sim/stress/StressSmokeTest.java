package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A short stress run in the default suite: the unmodified model breaks no rule, reaches Xen's known
 * hazards by name in seed mode, and with the fix flags on the fixed hazards do not occur.
 */
class StressSmokeTest {
    private static final int SEEDS = 120;
    private static ScheduleRunner runner;

    @BeforeAll
    static void start() {
        runner = new ScheduleRunner("smoke");
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    private static Map<String, Integer> run(StressConfig cfg, List<Violation> violations) {
        Map<String, Integer> findings = new TreeMap<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            ScheduleResult r = runner.run(cfg, seed, ProgramGenerator.generate(cfg, seed),
                    Strategies.create(cfg.strategy(), cfg.depth()), ScheduleRunner.RunOptions.DEFAULT);
            violations.addAll(r.violations());
            r.findings().keySet().forEach(f -> findings.merge(f, 1, Integer::sum));
        }
        return findings;
    }

    @Test
    void seedModeBreaksNoRuleAndReportsTheHazardsByName() {
        List<Violation> violations = new java.util.ArrayList<>();
        Map<String, Integer> findings = run(StressConfig.defaults().withStrategy("random", 3), violations);
        assertEquals(List.of(), violations);
        for (String h : List.of("H1", "H6", "H15")) {
            assertTrue(findings.containsKey(h), h + " reached in " + SEEDS + " seeds: " + findings);
        }
    }

    @Test
    void withEveryFixTheFixedHazardsNeverOccur() {
        List<Violation> violations = new java.util.ArrayList<>();
        Map<String, Integer> findings = run(StressConfig.defaults().withFixes(XenOptions.FIX_NAMES), violations);
        assertEquals(List.of(), violations);
        for (String fixed : List.of("H1-stale", "H2", "S9")) {
            assertFalse(findings.containsKey(fixed), fixed + " despite its fix: " + findings);
        }
        assertTrue(findings.containsKey("H1"), "orphaning is Xen's behaviour even with the fix: " + findings);
    }
}
