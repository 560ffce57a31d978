package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Same seed and configuration, same steps and digest: whatever ran before on the same system. */
class DeterminismTest {
    private static ScheduleRunner runner;

    @BeforeAll
    static void start() {
        runner = new ScheduleRunner("determinism");
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    private static ScheduleResult run(StressConfig cfg, long seed) {
        return runner.run(cfg, seed, ProgramGenerator.generate(cfg, seed), Strategies.create(cfg.strategy(), cfg.depth()),
                ScheduleRunner.RunOptions.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "pct", "pct-lifecycle"})
    void aSeedRunTwiceTakesTheSameStepsAndDigest(String strategy) {
        StressConfig cfg = StressConfig.defaults().withStrategy(strategy, 3);
        for (long seed = 1; seed <= 15; seed++) {
            ScheduleResult a = run(cfg, seed);
            run(cfg, seed + 1000);
            ScheduleResult b = run(cfg, seed);
            assertEquals(a.decisions(), b.decisions(), "seed " + seed + ": decisions");
            assertEquals(a.digest(), b.digest(), "seed " + seed + ": digest");
            assertEquals(a.findings().keySet(), b.findings().keySet());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "pct"})
    void differentSeedsTakeDifferentSchedules(String strategy) {
        StressConfig cfg = StressConfig.defaults().withStrategy(strategy, 3);
        assertNotEquals(run(cfg, 1).digest(), run(cfg, 2).digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lost,dup,delay"})
    void faultInjectionIsDeterministicToo(String faults) {
        StressConfig cfg = StressConfig.defaults().withFaults(List.of(faults.split(",")))
                .withFixes(XenOptions.FIX_NAMES);
        int faulted = 0;
        for (long seed = 1; seed <= 10; seed++) {
            ScheduleResult a = run(cfg, seed);
            ScheduleResult b = run(cfg, seed);
            assertEquals(a.digest(), b.digest(), "seed " + seed);
            assertEquals(a.faults(), b.faults());
            faulted += a.faults().replace("o", "").length();
        }
        assertTrue(faulted > 0, "some deliveries were faulted");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 11})
    void anExactReplayOfTheDecisionsReproducesTheDigest(int seed) {
        StressConfig cfg = StressConfig.defaults();
        Program p = ProgramGenerator.generate(cfg, seed);
        ScheduleResult a = run(cfg, seed);
        ScheduleResult b = runner.run(cfg, seed, p, ReplayStrategy.exact(a.decisions()), ScheduleRunner.RunOptions.DEFAULT);
        assertEquals(a.digest(), b.digest());
        assertEquals(null, b.divergence());
    }
}
