package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of seeds per strategy: the unmodified model breaks no rule, with the fixes on or off.
 * Excluded from the default run ({@code mvn -B verify -Dgroups=stress-long -DexcludedGroups=} runs it).
 */
@Tag("stress-long")
class StressLongTest {

    private static StressReport run(StressConfig cfg, int seeds) {
        return StressRunner.run(new StressRunner.Options(cfg, 1, seeds, Runtime.getRuntime().availableProcessors(),
                null, false, false, 0, "StressLongTest"), n -> { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "pct", "pct-lifecycle"})
    void allFixesOnThousandsOfSeedsNoViolation(String strategy) {
        StressReport r = run(StressConfig.defaults().withStrategy(strategy, 3).withFixes(XenOptions.FIX_NAMES), 5000);
        assertEquals(0, r.violations(), () -> r.violationList().toString());
        assertTrue(r.findings().containsKey("H1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "pct", "pct-lifecycle"})
    void seedModeThousandsOfSeedsNoViolationAndTheHazardsByName(String strategy) {
        StressReport r = run(StressConfig.defaults().withStrategy(strategy, 3), 5000);
        assertEquals(0, r.violations(), () -> r.violationList().toString());
        for (String h : List.of("H1", "H1-stale", "H2", "H6", "H7", "H11", "H14", "H15", "H21")) {
            assertTrue(r.findings().containsKey(h), h + ": " + r.findings().keySet());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lost,dup,delay"})
    void withFaultsTheyAreReportedNotFailed(String faults) {
        StressReport r = run(StressConfig.defaults().withFaults(List.of(faults.split(",")))
                .withFixes(XenOptions.FIX_NAMES), 3000);
        assertEquals(0, r.violations(), () -> r.violationList().toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {2})
    void twoDomainsThreeVcpusThreeServers(int domains) {
        StressReport r = run(StressConfig.defaults().withShape(domains, 3, 3, 60).withFixes(XenOptions.FIX_NAMES), 2000);
        assertEquals(0, r.violations(), () -> r.violationList().toString());
    }
}
