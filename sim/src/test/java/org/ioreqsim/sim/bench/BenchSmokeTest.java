package org.ioreqsim.sim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ioreqsim.sim.cli.Main;
import org.ioreqsim.sim.run.Simulation;
import org.junit.jupiter.api.Test;

/**
 * The bench machinery end to end on tiny shapes: every section produces every figure, measured and
 * sane (no timing is asserted: benchmarks are not unit tests), the controlled section runs the
 * default stress campaign, and the JSON carries name, unit and configuration for each figure.
 */
class BenchSmokeTest {

    /** A plan like --quick (but reporting ratios), on shapes small enough for a unit test. */
    static BenchPlan tiny() {
        return new BenchPlan("tiny", 1, Duration.ofMillis(100), Duration.ofMillis(50),
                List.of(Shape.of(1, 4), Shape.of(2, 3)), Shape.of(1, 4), List.of(1000), "512m", BenchPlan.SECTIONS,
                Simulation.akkaConfig());
    }

    @Test
    void everySectionProducesItsFigures() throws Exception {
        BenchReport r = Bench.run(tiny(), null, Paired.Progress.NONE);
        List<String> expected = new ArrayList<>();
        for (String shape : List.of("1x4", "2x3")) {
            for (String side : List.of("raw", "sim")) {
                for (String f : List.of("throughput", "p50", "p99", "cpuPerOp", "allocPerOp")) {
                    expected.add("sync." + side + "." + shape + "." + f);
                }
            }
            expected.add("sync.ratio." + shape);
        }
        for (String side : List.of("raw", "sim")) {
            expected.add("buffered." + side + ".throughput");
        }
        expected.add("buffered.ratio");
        expected.addAll(List.of("scale.sim.1000.spawnSeconds", "scale.sim.1000.bytesPerVcpu",
                "scale.sim.1000.completed", "scale.trivial.1000.bytesPerActor", "scale.trivial.1000.spawnSeconds",
                "scale.ratio.1000", "scale.spawnRatio.1000"));
        for (String name : expected) {
            Figure f = r.figure(name);
            assertNotNull(f, name);
            assertTrue(f.measured(), name + ": " + f.config().get("status"));
            assertTrue(Double.isFinite(f.value()) && f.value() >= 0, name + " = " + f.value());
        }
        assertTrue(r.figure("sync.sim.1x4.throughput").value() > 0);
        // every timed ratio carries its spread over the repetitions and the machine's load around it
        Map<?, ?> spread = (Map<?, ?>) r.figure("sync.ratio.1x4").config().get("spread");
        assertEquals(Set.of("min", "median", "max"), spread.keySet());
        assertTrue(((Map<?, ?>) r.figure("buffered.ratio").config().get("loadAverage")).containsKey("before"));
        assertTrue(r.figure("buffered.sim.throughput").value() > 0, "no write went buffered");
        assertEquals(1000.0, r.figure("scale.sim.1000.completed").value(), "every vCPU completes one ioreq");
        // the spawn is timed after warm-ups that ran until the JIT settled or the limit passed, each reported
        Map<String, Object> scale = r.figure("scale.sim.1000.spawnSeconds").config();
        List<?> warmups = (List<?>) scale.get("warmupSpawns");
        assertTrue(warmups.size() >= ScaleProbe.MIN_WARMUPS && warmups.size() <= ScaleProbe.MAX_WARMUPS, scale.toString());
        assertTrue(((Map<?, ?>) warmups.get(0)).containsKey("jitShare"), scale.toString());
        assertEquals(Boolean.TRUE.equals(scale.get("jitSettled")), warmups.size() < ScaleProbe.MAX_WARMUPS,
                "warm-ups stop early only once the JIT settled: " + scale);
        double ratio = r.figure("scale.sim.1000.spawnSeconds").value() / r.figure("scale.trivial.1000.spawnSeconds").value();
        // (the seconds figures are rounded to milliseconds: at 1,000 vCPUs that is a few per cent)
        assertEquals(ratio, r.figure("scale.spawnRatio.1000").value(), 0.15 * ratio);
        // one pair of child JVMs per repetition (the tiny plan has one): each run's spawn time, the ratio's spread
        assertEquals(1, ((List<?>) scale.get("spawnSecondsPerRun")).size(), scale.toString());
        assertEquals(Set.of("min", "median", "max"),
                ((Map<?, ?>) r.figure("scale.spawnRatio.1000").config().get("spread")).keySet());
        Figure controlled = r.figure("controlled.schedulesPerSec");
        assertTrue(controlled.measured() && controlled.value() > 0, "controlled mode measured");
        assertEquals(0L, controlled.config().get("violations"), "the default stress campaign has no violations");
        assertTrue(r.figure("controlled.stepsPerSec").value() > controlled.value(),
                "a schedule takes many steps: " + r.figure("controlled.stepsPerSec") + " " + controlled);
        // the limit: a bare Akka loop on the same controlled executor outpaces a schedule's steps
        assertTrue(r.figure("controlled.rawLoop.stepsPerSec").value() > 0, "the raw controlled loop ran");
        assertNotNull(r.figure("controlled.1worker.stepsRatio"), "steps/s against the raw loop");

        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r));
        assertEquals("ioreq-sim bench", json.get("tool").asText());
        for (JsonNode f : json.get("figures")) {
            assertTrue(f.hasNonNull("name") && f.hasNonNull("unit") && f.has("value") && f.has("config"), f.toString());
        }
    }

    @Test
    void badFlagsAreOneLineErrorsWithExitCode2() {
        for (String[] args : List.of(new String[] {"bench", "--runs", "0"}, new String[] {"bench", "--duration", "fast"},
                new String[] {"bench", "--sections", "sync,nope"}, new String[] {"bench", "--child-heap", "lots"},
                new String[] {"bench", "--chart", "x.svg"}, new String[] {"bench", "--akka", "a = {"},
                new String[] {"bench", "--frobnicate"})) {
            StringWriter err = new StringWriter();
            int rc = Main.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertEquals(Main.BAD_INPUT, rc, String.join(" ", args) + ": " + err);
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
            assertTrue(err.toString().startsWith("ioreq-sim bench: "), err.toString());
        }
    }
}
