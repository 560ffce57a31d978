package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ctrl-C during a campaign: the schedules that finished are reported, marked as interrupted. */
class InterruptedCampaignTest {

    @Test
    void aStoppedCampaignReportsTheSchedulesThatFinished() {
        AtomicInteger done = new AtomicInteger();
        StressRunner.Options o = new StressRunner.Options(StressConfig.defaults(), 1, 200, 2, null, false, false, 0,
                "test");
        StressReport r = StressRunner.run(o, done::set, () -> done.get() >= 5);
        assertTrue(r.interrupted());
        assertEquals(200, r.asked());
        assertTrue(r.schedules() >= 5 && r.schedules() < 200, "finished: " + r.schedules());
        assertTrue(r.render().startsWith("INTERRUPTED: " + r.schedules() + " of 200 schedules finished"), r.render());
        assertTrue(StressReportPage.html(r).contains("INTERRUPTED"));
    }

    @Test
    void aCampaignThatRunsToTheEndIsNotMarked() {
        StressRunner.Options o = new StressRunner.Options(StressConfig.defaults(), 1, 3, 1, null, false, false, 0,
                "test");
        StressReport r = StressRunner.run(o, n -> { });
        assertFalse(r.interrupted());
        assertEquals(3, r.schedules());
        assertFalse(r.render().contains("INTERRUPTED"));
    }
}
