package org.ioreqsim.sim.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the controlled section stops warming up: the JIT's share of the last campaigns' wall time. */
class ControlledWarmupTest {

    private static List<ControlledBench.Timed> campaigns(long... jitMillisPerSecond) {
        List<ControlledBench.Timed> out = new ArrayList<>();
        for (long j : jitMillisPerSecond) {
            out.add(new ControlledBench.Timed(null, 1000, j));
        }
        return out;
    }

    @Test
    void settledOnlyOnceTheLastFiveCampaignsCompiledForLessThanAShareOfTheirTime() {
        assertFalse(ControlledBench.settled(campaigns(0, 0, 0, 0)), "fewer campaigns than the window");
        assertFalse(ControlledBench.settled(campaigns(900, 0, 0, 0, 0, 800)), "the last one compiled throughout");
        assertTrue(ControlledBench.settled(campaigns(900, 100, 200, 100, 200, 100)),
                "140 ms of compiling a second over the last five: settled, whatever came before");
        assertFalse(ControlledBench.settled(campaigns(100, 200, 100, 200, 200)), "160 ms a second is not");
    }

    @Test
    void aJvmThatDoesNotReportCompileTimeCountsAsSettled() {
        assertTrue(ControlledBench.settled(campaigns(-1, -1, -1, -1, -1)));
    }
}
