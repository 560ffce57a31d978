package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.api.Test;

/** Free execution: the same programs and monitors on real threads; a short run. */
class FreeRunnerTest {

    @Test
    void aShortFreeRunFinishesEverySeedWithoutViolations() {
        StressReport r = FreeRunner.run(StressConfig.defaults().withFixes(XenOptions.FIX_NAMES), 1, 40, 2, n -> { });
        assertEquals("free", r.mode());
        assertEquals(40, r.schedules());
        assertEquals(0, r.violations(), () -> r.violationList().toString());
        assertTrue(r.steps() > 0);
    }
}
