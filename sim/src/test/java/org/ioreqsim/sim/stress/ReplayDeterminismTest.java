package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.sim.testkit.ControlledHarness;
import org.ioreqsim.sim.testkit.ReplayResult;
import org.ioreqsim.sim.testkit.StressReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 100 seeds written as traces and each replayed twice from the file: 100 of 100 identical digests. */
class ReplayDeterminismTest {

    @Test
    void aHundredTracesReplayTwiceToTheirDigest(@TempDir Path dir) throws Exception {
        StressConfig cfg = StressConfig.defaults().withStrategy("pct-lifecycle", 3);
        ScheduleRunner runner = ControlledHarness.shared().runner();
        List<String> mismatches = new ArrayList<>();
        for (long seed = 1; seed <= 100; seed++) {
            Program p = ProgramGenerator.generate(cfg, seed);
            ScheduleResult r = runner.run(cfg, seed, p, Strategies.create(cfg.strategy(), cfg.depth()),
                    ScheduleRunner.RunOptions.DEFAULT.withDetails());
            Path f = dir.resolve("seed-" + seed + ".trace.json");
            Traces.write(f, Traces.of("ReplayDeterminismTest", cfg, "pct-lifecycle(d=3)", p, r, true, null));
            ReplayResult first = StressReplay.exact(f);
            ReplayResult second = StressReplay.exact(f);
            if (!first.matches() || !second.matches() || !first.digest().equals(second.digest())) {
                mismatches.add(seed + ": " + first + " / " + second);
            }
        }
        assertEquals(List.of(), mismatches);
    }
}
