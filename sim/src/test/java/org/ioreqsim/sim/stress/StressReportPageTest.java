package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stress report page: a campaign run on a cluster shows a table per member; a local one has none. */
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
}
