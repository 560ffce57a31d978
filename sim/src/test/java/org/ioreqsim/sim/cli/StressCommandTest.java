package org.ioreqsim.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ioreqsim.sim.stress.RaceScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stress and replay commands as a user runs them. */
class StressCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonHasTheAdvertisedFieldsAndASeedGivesItsDigest() throws Exception {
        Run r = cli("stress", "--seed", "5", "--json", "--no-traces", "--workers", "1");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String f : new String[] {"schedules", "schedulesPerSec", "violations", "findings", "coverage", "digest"}) {
            assertTrue(j.has(f), f + " in " + r.out());
        }
        assertEquals(1, j.get("schedules").asInt());
        assertEquals(0, j.get("violations").asInt());
        assertEquals(RaceScenario.values().length, j.get("coverage").size());
        Run again = cli("stress", "--seed", "5", "--json", "--no-traces", "--workers", "1");
        assertEquals(j.get("digest").asText(), new ObjectMapper().readTree(again.out()).get("digest").asText());
    }

    @Test
    void theSummaryNamesFindingsAndCoverage(@TempDir Path dir) {
        Run r = cli("stress", "--seeds", "60", "--strategy", "pct", "--traces", dir.toString(), "--workers", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("schedules/s"), r.out());
        assertTrue(r.out().contains("violations: 0"), r.out());
        assertTrue(r.out().contains("H1 "), r.out()); // PCT reaches H1 at seed 6 (docs/testing.md)
        assertTrue(r.out().contains("destroy while a request is INPROCESS"), r.out());
    }

    @Test
    void aFindingsTraceReplaysWithTheSameDigest(@TempDir Path dir) throws Exception {
        Run r = cli("stress", "--seeds", "40", "--traces", dir.toString(), "--workers", "1");
        assertEquals(0, r.code(), r.err());
        Path trace;
        try (var files = Files.list(dir)) {
            trace = files.filter(f -> f.toString().endsWith(".trace.json")).findFirst().orElseThrow();
        }
        Run replay = cli("replay", trace.toString());
        assertEquals(0, replay.code(), replay.out() + replay.err());
        assertTrue(replay.out().contains("reproduced"), replay.out());
    }

    @Test
    void reportDirectoriesHoldTheJsonAndAPageWithItsChartAndSteps(@TempDir Path dir) throws Exception {
        Path traces = dir.resolve("traces");
        Run r = cli("stress", "--seeds", "40", "--traces", traces.toString(), "--workers", "1", "--report",
                dir.resolve("stress").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("stress/report.json").toFile());
        assertEquals(40, j.get("schedules").asInt());
        String page = Files.readString(dir.resolve("stress/index.html"));
        assertTrue(page.contains("<img") && page.contains("data:image/png;base64,"), "a findings chart");
        assertTrue(j.get("findings").size() > 0, "40 seeds reach some hazard");
        j.get("findings").fieldNames().forEachRemaining(
                name -> assertTrue(page.contains(">" + name + "<"), name + " in the findings table"));
        assertTrue(page.contains("destroy while a request is INPROCESS"));

        Path trace;
        try (var files = Files.list(traces)) {
            trace = files.filter(f -> f.toString().endsWith(".trace.json")).sorted().findFirst().orElseThrow();
        }
        Run replay = cli("replay", trace.toString(), "--report", dir.resolve("replay").toString());
        assertEquals(0, replay.code(), replay.out() + replay.err());
        JsonNode verdict = new ObjectMapper().readTree(dir.resolve("replay/report.json").toFile());
        assertTrue(verdict.get("matches").asBoolean());
        String steps = Files.readString(dir.resolve("replay/index.html"));
        int rows = steps.split("<tr>", -1).length - 1;
        assertTrue(rows > verdict.get("steps").asInt(), "one row per step (plus the verdict): " + rows);
    }

    @Test
    void compareStrategiesRunsTheSameSeedsUnderEachAndSaysWhatEachNeeded() throws Exception {
        Run r = cli("stress", "--compare-strategies", "--seeds", "30", "--workers", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(30, j.get("seeds").asInt());
        for (String s : new String[] {"random", "pct", "pct-lifecycle"}) {
            JsonNode p = j.get("strategies").get(s);
            assertEquals(RaceScenario.values().length, p.get("scenarios").size(), s);
            assertEquals(0, p.get("violations").asInt(), s);
            p.get("scenarios").forEach(reach -> {
                long needed = reach.get("seedsNeeded").asLong();
                assertTrue(reach.get("schedules").asInt() == 0 ? needed == -1 : needed >= 1 && needed <= 30, s + ": " + reach);
            });
        }
        Run text = cli("stress", "--compare-strategies", "--seeds", "30", "--workers", "1");
        assertTrue(text.out().contains("vCPU added while a server is created"), text.out());
        assertTrue(text.out().contains("pct-lifecycle"), text.out());
    }

    @Test
    void aReportDirectoryThatCannotBeWrittenFailsBeforeTheRun(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Run r = cli("stress", "--seeds", "5", "--no-traces", "--report", file.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.out().isEmpty(), "nothing printed: " + r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stress --strategy dfs|--strategy: 'dfs' is not one of random, pct, pct-lifecycle",
        "stress --servers 9|--servers must be 1..8",
        "stress --fix fixEverything|--fix: 'fixEverything' is not one of",
        "stress --faults typo|--faults: 'typo' is not one of",
        "stress --features cf8|--features: 'cf8' is not one of all, cf8-wide, bad-emulator",
        "stress --seeds 0|--seeds must be at least 1",
        "replay /no/such/file.json|/no/such/file.json: no such file"})
    void badInputIsOneLineAndExitCode2(String args, String message) {
        Run r = cli(args.split(" "));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
