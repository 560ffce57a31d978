package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.testkit.PropertyResult;
import org.ioreqsim.sim.testkit.ReplayResult;
import org.ioreqsim.sim.testkit.StressReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traces round-trip, replay exactly, detect divergence, refuse bad files, and export as compilable tests. */
class TraceTest {

    private static StressTrace traceOf(long seed) {
        StressConfig cfg = StressConfig.defaults();
        Program p = ProgramGenerator.generate(cfg, seed);
        ScheduleResult r = org.ioreqsim.sim.testkit.ControlledHarness.shared().runner().run(cfg, seed, p,
                Strategies.create(cfg.strategy(), cfg.depth()), ScheduleRunner.RunOptions.DEFAULT.withDetails());
        return Traces.of("TraceTest", cfg, "pct(d=3)", p, r, true, null);
    }

    @Test
    void aWrittenTraceReadsBackAndReplaysToTheSameDigest(@TempDir Path dir) throws Exception {
        StressTrace t = traceOf(21);
        Path f = dir.resolve("t.trace.json");
        Traces.write(f, t);
        StressTrace back = Traces.read(f);
        assertEquals(t.program(), back.program());
        assertEquals(t.decisions(), back.decisions());
        ReplayResult r = StressReplay.exact(f);
        assertTrue(r.matches(), "replay: " + r);
        assertEquals(t.expect().digest(), r.digest());
    }

    @Test
    void aTamperedDecisionIsReportedAsADivergence() {
        StressTrace t = traceOf(22);
        List<StressTrace.Step> steps = new ArrayList<>(t.steps());
        int i = steps.size() / 2;
        StressTrace.Step s = steps.get(i);
        steps.set(i, new StressTrace.Step(s.step(), "no/such/actor", s.message(), s.detail(), s.events()));
        StressTrace bad = new StressTrace(t.format(), t.seed(), t.testName(), t.codeVersion(), t.config(), t.strategy(),
                t.program(), t.faults(), t.stopOnViolation(), steps, t.expect(), t.shrunk());
        ReplayResult r = StressReplay.exact(bad);
        assertNotNull(r.divergence());
        assertTrue(r.divergence().contains("step " + i), r.divergence());
    }

    @Test
    void malformedTracesAreOneLineUserErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{ \"format\": \"ioreq-sim-stress-trace/1\", \"seed\": ");
        UserInputException e = assertThrows(UserInputException.class, () -> Traces.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        Files.writeString(f, "{ \"format\": \"something else\" }");
        assertThrows(UserInputException.class, () -> Traces.read(f));
        assertThrows(UserInputException.class, () -> Traces.read(dir.resolve("missing.json")));
    }

    @Test
    void anExportedTestCompilesAndItsTraceReplays(@TempDir Path dir) throws Exception {
        StressTrace t = traceOf(23);
        String name = t.expect().findings().isEmpty() ? "H0" : t.expect().findings().get(0).name();
        String src = JUnitExporter.source(t, name, false);
        String cls = JUnitExporter.className(23, name);
        Path file = dir.resolve(cls + ".java");
        Files.writeString(file, src);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                file.toString());
        assertEquals(0, rc, "the exported test compiles");
        assertTrue(Files.exists(dir.resolve(cls + ".class")));
        ReplayResult r = StressReplay.exact(Traces.toJson(JUnitExporter.compact(t)));
        assertTrue(r.matches(), r.toString());
    }

    /** A violation's exported test: the property on the program, then the exact schedule as a separate check. */
    @Test
    void anExportedViolationTestCompilesAndAssertsTheProperty(@TempDir Path dir) throws Exception {
        StressTrace t = traceOf(24);
        String src = JUnitExporter.source(t, "ports.leak", true);
        assertTrue(src.contains("StressReplay.property(TRACE, \"ports.leak\", " + JUnitExporter.PROPERTY_SEEDS + ")"), src);
        assertTrue(src.contains("assumeTrue(r.matches()"), "the exact replay is an assumption: " + src);
        String cls = JUnitExporter.className(24, "ports.leak");
        Path file = dir.resolve(cls + ".java");
        Files.writeString(file, src);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                file.toString());
        assertEquals(0, rc, "the exported test compiles");

        PropertyResult p = StressReplay.property(Traces.toJson(JUnitExporter.compact(t)), "ports.leak", 3);
        assertEquals(List.of("guided", "pct", "pct", "pct"), p.runs().stream().map(PropertyResult.Run::how).toList());
        assertEquals(List.of(24L, 24L, 25L, 26L), p.runs().stream().map(PropertyResult.Run::seed).toList());
        assertTrue(p.holds(), p.describe());
    }

    @Test
    void aPropertyHoldsOnlyIfTheRuleFiredInNoRun() {
        PropertyResult.Run quiet = new PropertyResult.Run("pct", 1, List.of(new Violation("other", "x", 3)), null);
        PropertyResult.Run broke = new PropertyResult.Run("pct", 2, List.of(new Violation("ports.leak", "d1 port 5", 9)), null);
        assertTrue(new PropertyResult("ports.leak", List.of(quiet)).holds(), "another rule does not count");
        PropertyResult p = new PropertyResult("ports.leak", List.of(quiet, broke));
        assertEquals(List.of(broke), p.violating());
        assertTrue(p.describe().contains("seed 2: ports.leak at step 9"), p.describe());
    }
}
