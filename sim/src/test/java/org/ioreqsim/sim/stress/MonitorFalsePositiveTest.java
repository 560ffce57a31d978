package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Schedules where the monitors once called correct Xen behaviour a violation (random strategy, default
 * campaign): seeds 177 and 723, a gfn handed out before the pool was set up again with another base, which
 * no pool check can judge (spec 11.2, H14's context); seed 775, a server's slots zeroed by the destroy of
 * another server that shares its gfn page (H14: the disable clears the shared page, spec 11.3); seed 1101,
 * a vCPU never woken because a misbehaving emulator answered its slot before binding its port (the finding
 * EMU, spec 7.2), not a liveness violation.
 */
class MonitorFalsePositiveTest {

    @ParameterizedTest
    @ValueSource(longs = {177, 723, 775, 1101})
    void theseSchedulesBreakNoRule(long seed) {
        StressConfig cfg = StressConfig.defaults().withStrategy("random", 3);
        try (ScheduleRunner runner = new ScheduleRunner("false-positive-" + seed)) {
            ScheduleResult r = runner.run(cfg, seed, ProgramGenerator.generate(cfg, seed),
                    Strategies.create(cfg.strategy(), cfg.depth()), ScheduleRunner.RunOptions.DEFAULT);
            assertEquals(java.util.List.of(), r.violations(), "seed " + seed);
        }
    }
}
