package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each generator feature on for every seed, run under the monitors: the model (correct) breaks no rule,
 * with and without every fix, and a misbehaving emulator is the finding EMU, not a violation.
 */
class StressFeaturesTest {
    private static ScheduleRunner runner;

    @BeforeAll
    static void start() {
        runner = new ScheduleRunner("features");
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    /**
     * Spec 16, H4: seed 1760 of the default campaign starts a LEGACY ring just below 2^32; once the
     * pointers wrap the slot index jumps and one vCPU's VGA writes reach the emulator out of order.
     * That is Xen's behaviour in LEGACY mode (ATOMIC was added for it), a finding and not a violation.
     */
    @Test
    void aLegacyRingWrappingAtTwoToTheThirtyTwoIsH4() {
        StressConfig cfg = StressConfig.defaults();
        Program p = ProgramGenerator.generate(cfg, 1760);
        assertTrue(p.domains().get(0).ringStart() > 0xFFFF_F000L, "the seed starts its ring near 2^32");
        ScheduleResult r = runner.run(cfg, 1760, p, Strategies.create(cfg.strategy(), cfg.depth()),
                ScheduleRunner.RunOptions.DEFAULT);
        assertEquals(List.of(), r.violations());
        assertTrue(r.findings().containsKey("H4"), "findings: " + r.findings().keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cf8-wide", "bad-emulator", "crash-restart", "tight-ports", "ring-wrap"})
    void aFeatureOnEverySeedBreaksNoRule(String feature) {
        StressConfig cfg = StressConfig.defaults().withFeatures(List.of(feature));
        int emu = 0;
        for (long seed = 1; seed <= 30; seed++) {
            for (StressConfig c : List.of(cfg, cfg.withFixes(XenOptions.FIX_NAMES))) {
                ScheduleResult r = runner.run(c, seed, ProgramGenerator.generate(c, seed),
                        Strategies.create(c.strategy(), c.depth()), ScheduleRunner.RunOptions.DEFAULT);
                assertEquals(List.of(), r.violations(), feature + " seed " + seed + " fixes " + c.fixes());
                emu += r.findings().containsKey("EMU") ? 1 : 0;
            }
        }
        if (feature.equals("bad-emulator")) {
            assertTrue(emu >= 10, "EMU in only " + emu + " of 60 schedules with a misbehaving emulator");
        }
    }
}
