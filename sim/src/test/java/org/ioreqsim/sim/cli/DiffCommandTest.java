package org.ioreqsim.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diff} takes a script (*.ioreq) or a QEMU trace (anything else, plain or gzip); bad input is one
 * line naming the file (and line), exit code 2, nothing on stdout and no report.
 */
class DiffCommandTest {
    /**
     * On the i440fx preset: a read of the serial port QEMU registers, a read of port 0x2F8 nobody has, a
     * CF8 write, a config read of 00:05.0 (no such function in the preset), a write to Xen's RTC.
     */
    static final String TRACE = """
            memory_region_ops_read cpu 0 mr 0x5 addr 0x3fd value 0x60 size 1 name 'serial'
            memory_region_ops_read cpu 0 mr 0x5 addr 0x2f8 value 0xffffffffffffffff size 1 name 'io'
            memory_region_ops_write cpu 0 mr 0x5 addr 0xcf8 value 0x80002800 size 4 name 'pci-conf-idx'
            memory_region_ops_read cpu 0 mr 0x5 addr 0xcfc value 0x1af4 size 2 name 'pci-conf-data'
            memory_region_ops_write cpu 0 mr 0x5 addr 0x70 value 0x8f size 1 name 'rtc-index'
            """;

    static TraceCommandTest.Run run(String... args) {
        return TraceCommandTest.run(args);
    }

    static JsonNode transition(JsonNode j, String region) {
        JsonNode ts = j.get("byRegion").get(region).get("transitions");
        assertEquals(1, ts.size(), region);
        return ts.get(0);
    }

    @Test
    void aTraceGivesRoutesBeforeAndNowPerRegionAndKind(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.log");
        Files.writeString(f, TRACE);
        TraceCommandTest.Run r = run("diff", f.toString(), "--json", "--layout", "qemu-i440fx");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(5, j.get("replayed").asLong());
        assertEquals(2, j.get("byChange").get("default-to-server").asLong(), "serial and the CF8 write");
        assertEquals(2, j.get("byChange").get("default-to-null").asLong(), "port 0x2F8 and 00:05.0's config read");
        assertEquals(1, j.get("byChange").get("same").asLong(), "Xen's RTC (spec 5 step 6)");
        assertEquals(1, j.get("valuesChanged").asLong());
        // Spec 14: before the seed the default server takes what no server claims, and answers it (here
        // with the recorded value); spec 5.1: at the seed the null handler answers all ones.
        JsonNode cfg = transition(j, "pci-conf-data");
        assertEquals("pci-config-read", cfg.get("kind").asText());
        assertEquals("server-1-0 (default)", cfg.get("before").asText());
        assertEquals("null", cfg.get("now").asText());
        assertEquals("default-to-null", cfg.get("change").asText());
        JsonNode example = cfg.get("examples").get(0);
        assertEquals(4, example.get("line").asLong());
        assertEquals("0x1af4", example.get("recorded").asText());
        assertEquals("0x1af4", example.get("before").asText());
        assertEquals("0xffff", example.get("now").asText());
        JsonNode io = transition(j, "io");
        assertEquals("port-read", io.get("kind").asText());
        assertEquals("null", io.get("now").asText());
        assertEquals(0, io.get("valuesChanged").asLong(), "QEMU's unassigned I/O answered all ones too");
        assertEquals("server-1-0", transition(j, "serial").get("now").asText());
        assertEquals("port-write", transition(j, "pci-conf-idx").get("kind").asText());
        JsonNode rtc = transition(j, "rtc-index");
        assertEquals("xen-rtc", rtc.get("before").asText());
        assertEquals("xen-rtc", rtc.get("now").asText());
        assertEquals(1, j.get("byKind").get("pci-config-read").get("changed").asLong());
        assertEquals(0, j.get("byKind").get("mmio-read").get("count").asLong(), "every kind is listed");
        assertEquals(0, j.get("before").get("listenerDmOps").asLong());
    }

    /**
     * Without --layout the layout is derived from the trace: 00:05.0 answered its config read, so QEMU
     * registers it now too, and only port 0x2F8 (unassigned in the trace) goes to the null handler.
     */
    @Test
    void withoutALayoutTheTraceSaysWhatQemuClaims(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.log");
        Files.writeString(f, TRACE);
        TraceCommandTest.Run r = run("diff", f.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("auto", j.get("layout").asText());
        assertEquals(3, j.get("byChange").get("default-to-server").asLong(), "serial, the CF8 write, 00:05.0");
        assertEquals(1, j.get("byChange").get("default-to-null").asLong(), "port 0x2F8");
        assertEquals(0, j.get("valuesChanged").asLong());
    }

    @Test
    void theConsoleTableNamesBothRoutesAndTheChangedValue(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.log.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(TRACE.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        TraceCommandTest.Run r = run("diff", f.toString(), "--seed", "3", "--layout", "qemu-i440fx");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("ioreq-sim diff  " + f + "  layout qemu-i440fx  seed 3"), r.out());
        assertTrue(r.out().matches("(?s).*pci-conf-data +pci-config-read +server-1-0 \\(default\\) +null +1 +1 +1\\R.*"),
                r.out());
        assertTrue(r.out().contains("value changed pci-conf-data line 4 cpu 0: 0xcfc size 2 recorded 0x1af4: "
                + "before 0x1af4 via server-1-0 (default), now 0xffff via null"), r.out());
    }

    @Test
    void aScriptStillDiffsAsBefore() {
        TraceCommandTest.Run r = run("diff", Path.of("..", "examples", "13-default-server-removal.ioreq").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().endsWith("5 step(s) differ between the seed and the Xen before it\n")
                || r.out().endsWith("5 step(s) differ between the seed and the Xen before it\r\n"), r.out());
    }

    @Test
    void badInputIsOneLineNamingTheFileExitTwoAndNoReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        Path bad = dir.resolve("bad.log");
        Files.writeString(bad, TRACE.lines().findFirst().orElseThrow() + "\n"
                + TRACE.lines().findFirst().orElseThrow().replace("size 1", "size 3") + "\n");
        expectBadInput("ioreq-sim diff: " + bad + ":2: malformed memory_region_ops line: size 3 is not 1, 2, 4 or 8",
                "diff", bad.toString(), "--report", report.toString());
        assertFalse(Files.exists(report), "no report directory for bad input");

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "domain create 1 vcpus=1\n");
        expectBadInput("ioreq-sim diff: " + text + ":1: no memory_region_ops_read/write events in 1 lines (trace "
                + "QEMU with -trace memory_region_ops_read -trace memory_region_ops_write)", "diff", text.toString());

        Path gz = dir.resolve("t.log.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(TRACE.repeat(2000).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(bytes, bytes.length - 20));
        TraceCommandTest.Run t = run("diff", gz.toString(), "--json");
        assertEquals(2, t.code());
        assertEquals("", t.out());
        assertTrue(t.err().matches("ioreq-sim diff: .*t\\.log\\.gz:\\d+: truncated gzip stream \\(.*\\)\\R"), t.err());

        expectBadInput("ioreq-sim diff: " + dir.resolve("none.log") + ": no such file", "diff",
                dir.resolve("none.log").toString());

        Path script = dir.resolve("s.ioreq");
        Files.writeString(script, "domain create 1 vcpus=1\ndmop 0 1 create handle_bufioreq=x\n");
        expectBadInput("ioreq-sim diff: " + script + ":2: handle_bufioreq=x: not a number", "diff", script.toString());
        expectBadInput("ioreq-sim diff: --layout applies to traces; " + script + " is a script (*.ioreq)", "diff",
                script.toString(), "--layout", "qemu-q35");
        expectBadInput("ioreq-sim diff: --report applies to traces; " + script + " is a script (*.ioreq)", "diff",
                script.toString(), "--report", report.toString());
        assertFalse(Files.exists(report));
    }

    static void expectBadInput(String message, String... args) {
        TraceCommandTest.Run r = run(args);
        assertEquals(2, r.code(), r.err());
        assertEquals(message, r.err().strip());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals("", r.out(), "no partial output");
    }

    @Test
    void diffReportWritesTheJsonAndAPageWithCharts(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.log");
        Files.writeString(f, TRACE);
        Path out = dir.resolve("r");
        TraceCommandTest.Run r = run("diff", f.toString(), "--report", out.toString(), "--json", "--layout",
                "qemu-i440fx");
        assertEquals(0, r.code(), r.err());
        ObjectMapper m = new ObjectMapper();
        JsonNode json = m.readTree(Files.readString(out.resolve("report.json")));
        assertEquals(m.readTree(r.out()), json, "report.json is the --json object");
        String html = Files.readString(out.resolve("index.html"));
        assertEquals(4, html.split("src=\"data:image/png;base64,", -1).length - 1, "by change, before, now, values");
        assertTrue(html.contains("<td>server-1-0 (default)</td>"), "the changed-handling table");
    }
}
