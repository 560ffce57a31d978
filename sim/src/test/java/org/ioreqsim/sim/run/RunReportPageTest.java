package org.ioreqsim.sim.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.report.ReportDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportPageTest {

    static RunReport sample() {
        return new RunReport(7, Map.of("domains", 1, "vcpus", 2, "servers", 1, "xenOptions", List.of()),
                new RunReport.Ioreqs(10, 10, Map.of("server-1-0", 7L, "null", 3L), Map.of("DONE", 10L), 2, 0, 0), 1.0,
                10, new RunReport.Timing("wall-clock", "done", 1.0, 0.9, 0.1, 0.2, 0.7, 10, 11),
                new RunReport.Latency(5, 6, 7, 8, 9, 5.5),
                Map.of("server-1-0", new RunReport.ServerLoad(5, 3, 2, 0, 2, 2, 0, 1, 0, 0, 6, 1, 5, 0)),
                List.of(new Fairness.Group(1, "d1", 1, List.of(), new Fairness.Spread(1, 10, 10, 10, 1.0),
                        new Fairness.Spread(2, 4, 6, 6, 0.9615), List.of(new Fairness.Spread(1, 7, 7, 7, 1.0)), List.of())),
                new RunReport.EventChannelCounts(6, 1, 5), List.of("d1: H1: vCPU 0 orphaned"), List.of(),
                List.of(new RunReport.LifecycleEvent(0.5, "at 500ms", "destroy-server", "server-1-0", "0")),
                List.of("d1v0 BLOCKED_ORPHANED: its server was destroyed with the request in flight (orphaned, H1)"),
                List.of(new RunReport.TimelinePoint(0.5, 5, 10), new RunReport.TimelinePoint(1.0, 10, 10)),
                List.of(new RunReport.LatencyBucket(4, 3), new RunReport.LatencyBucket(8, 7)));
    }

    @Test
    void thePageHasTheSummaryTablesFindingsAndFourCharts() {
        String html = RunReportPage.html(sample());
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("ioreq-sim run, seed 7"));
        assertTrue(html.contains("<td>server-1-0</td>"));
        assertTrue(html.contains("H1: vCPU 0 orphaned"));
        assertTrue(html.contains("<td>destroy-server</td>"), "the lifecycle events table");
        assertTrue(html.contains("d1v0 BLOCKED_ORPHANED"), "the stalled vCPUs");
        assertTrue(html.contains("1 domains, 2 vCPUs, 1 servers"));
        assertTrue(html.contains("<h2>Fairness</h2>"), "the fairness table");
        assertTrue(html.contains("<td>0.9615</td>"), "Jain's index per vCPU");
        assertTrue(html.contains("steady state: 0.700 s after a 0.200 s warm-up"), "the timing split");
        assertEquals(4, html.split("src=\"data:image/png;base64,", -1).length - 1);
    }

    @Test
    void theDirectoryGetsBothFilesAndNoLeftovers(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        new ReportDirectory(out).write(sample(), RunReportPage.html(sample()));
        try (var files = Files.list(out)) {
            assertEquals(List.of("index.html", "report.json"), files.map(p -> p.getFileName().toString()).sorted()
                    .toList());
        }
        assertTrue(Files.readString(out.resolve("report.json")).contains("\"seed\" : 7"));
    }
}
