package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ioreqsim.sim.cli.Main;
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
        assertEquals(7, j.get("coverage").size());
        Run again = cli("stress", "--seed", "5", "--json", "--no-traces", "--workers", "1");
        assertEquals(j.get("digest").asText(), new ObjectMapper().readTree(again.out()).get("digest").asText());
    }

    @Test
    void theSummaryNamesFindingsAndCoverage(@TempDir Path dir) {
        Run r = cli("stress", "--seeds", "60", "--strategy", "random", "--traces", dir.toString(), "--workers", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("schedules/s"), r.out());
        assertTrue(r.out().contains("violations: 0"), r.out());
        assertTrue(r.out().contains("H1 "), r.out());
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stress --strategy dfs|--strategy: 'dfs' is not one of random, pct, pct-lifecycle",
        "stress --servers 9|--servers must be 1..8",
        "stress --fix fixEverything|--fix: 'fixEverything' is not one of",
        "stress --faults typo|--faults: 'typo' is not one of",
        "stress --seeds 0|--seeds must be at least 1",
        "replay /no/such/file.json|/no/such/file.json: no such file"})
    void badInputIsOneLineAndExitCode2(String args, String message) {
        Run r = cli(args.split(" "));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
