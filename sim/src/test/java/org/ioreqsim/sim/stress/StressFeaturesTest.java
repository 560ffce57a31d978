package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
