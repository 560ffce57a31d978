package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stress report page: a campaign run on a cluster shows a table per member; a local one has none; a campaign
 * that lost every worker says so first, with the seeds that did not run.
 */
class StressReportPageTest {

    @Test
    void aClusterCampaignsPageHasATableOfItsMembers() {
        StressRunner.Options o = new StressRunner.Options(StressConfig.defaults(), 1, 3, 1, null, false, false, 0,
                "test");
        StressReport local = StressRunner.run(o, n -> { });
        assertFalse(StressReportPage.html(local).contains("Cluster members"));

        StressReport cluster = local.withMembers(List.of(
                new StressReport.MemberEntry("127.0.0.1:25520", 2, 2, 400, 0.5, 0),
                new StressReport.MemberEntry("127.0.0.1:25521", 1, 1, 210, 0.25, 1)));
        String html = StressReportPage.html(cluster);
        assertTrue(html.contains("Cluster members"), html);
        assertTrue(html.contains("127.0.0.1:25520") && html.contains("127.0.0.1:25521"), html);
        assertTrue(html.contains("seeds re-run"), html);
        assertTrue(html.indexOf("Cluster members") < html.indexOf("Violations"), "after the summary, before violations");
    }

    @Test
    void aLostCampaignSaysWhatDidNotRun() {
        boolean[] done = {true, false, false, true, false, true, true, true};
        StressReport.Lost lost = StressReport.Lost.of("every worker lost", 11, done);
        assertEquals(3, lost.seeds());
        assertEquals(List.of("12..13", "15"), lost.notRun());
        assertEquals("12..13 and 1 more range", lost.describe(1));

        StressRunner.Options o = new StressRunner.Options(StressConfig.defaults(), 11, 8, 1, null, false, false, 0,
                "test");
        List<SeedSummary> ran = new java.util.ArrayList<>();
        try (ScheduleRunner runner = new ScheduleRunner("lost-test")) {
            for (int i = 0; i < done.length; i++) {
                if (done[i]) {
                    ran.add(StressRunner.runSeed(runner, o.cfg(), 11 + i));
                }
            }
        }
        StressReport r = StressRunner.merge(o, ran, 1.0, 1, true).withLost(lost);
        assertFalse(r.interrupted());
        assertEquals(5, r.schedules());
        assertTrue(r.render().startsWith("LOST: every worker lost; 5 of 8 schedules finished, 3 seeds did not run "
                + "(12..13, 15)"), r.render());
        String html = StressReportPage.html(r);
        assertTrue(html.contains("LOST") && html.contains("12..13, 15"), html);
    }
}
