package org.ioreqsim.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCommandTest {
    static final String LINE = "memory_region_ops_read cpu 0 mr 0x5 addr 0x3fd value 0x60 size 1 name 'serial'\n";

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonReportHasTheFieldsScriptsRelyOn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.log");
        Files.writeString(f, LINE + "memory_region_ops_read cpu 0 mr 0x5 addr 0x2f8 value 0xffffffffffffffff size 1"
                + " name 'io'\nmemory_region_ops_write cpu -1 mr 0x5 addr 0xfee00000 value 0x0 size 4 name 'apic-msi'\n"
                + "hello\n");
        Run r = run("trace", f.toString(), "--json", "--seed", "7");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(7, j.get("seed").asLong());
        assertEquals(4, j.get("lines").asLong());
        assertEquals(3, j.get("events").asLong());
        assertEquals(2, j.get("replayed").asLong());
        assertEquals(1, j.get("deviceOriginated").asLong());
        assertEquals(1, j.get("otherLines").asLong());
        assertEquals(0, j.get("valueMismatches").asLong());
        JsonNode serial = j.get("byRegion").get("serial");
        assertEquals(1, serial.get("count").asLong());
        assertEquals(1, serial.get("routes").get("server-1-0").asLong());
        assertEquals(0, serial.get("buffered").asLong());
        assertEquals(0, serial.get("valueMismatches").asLong());
        assertEquals(1, j.get("byRegion").get("io").get("routes").get("null").asLong());
        assertEquals(1, j.get("byRegion").get("apic-msi").get("deviceOriginated").asLong());
    }

    @Test
    void reportWritesTheJsonObjectAndAPageWithTwoCharts(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.log");
        Files.writeString(f, LINE + "memory_region_ops_read cpu 0 mr 0x5 addr 0x2f8 value 0xff size 1 name 'io'\n"
                + "memory_region_ops_read cpu 0 mr 0x5 addr 0x2f9 value 0x12 size 1 name 'io'\n");
        Path out = dir.resolve("report");
        Run r = run("trace", f.toString(), "--json", "--report", out.toString());
        assertEquals(0, r.code(), r.err());
        ObjectMapper m = new ObjectMapper();
        assertEquals(m.readTree(r.out()), m.readTree(Files.readString(out.resolve("report.json"))),
                "report.json is the --json object");
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(2, html.split("src=\"data:image/png;base64,", -1).length - 1,
                "routes per region (stacked) and value mismatches per region");
        assertTrue(html.contains("<td>0x2f9</td>"), "the mismatch example: 0x12 recorded, all ones from the null handler");
        try (var files = Files.list(out)) {
            assertEquals(java.util.List.of("index.html", "report.json"), files.map(p -> p.getFileName().toString())
                    .sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void reportOfBadInputWritesNothing(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.log");
        Files.writeString(f, LINE.replace("size 1", "size 9"));
        Path out = dir.resolve("report");
        Run r = run("trace", f.toString(), "--report", out.toString());
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(!Files.exists(out), "no report directory");
        Path ok = dir.resolve("ok.log");
        Files.writeString(ok, LINE);
        Run bad = run("trace", ok.toString(), "--report", "/proc/nope");
        assertEquals(2, bad.code());
        assertEquals("ioreq-sim trace: --report /proc/nope: cannot create the directory (/proc/nope)", bad.err().strip());
        assertEquals("", bad.out());
    }

    @Test
    void truncatedGzipExitsTwoWithOneLineAndNoReport(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("t.log");
        Files.writeString(plain, LINE.repeat(4000));
        Path gz = dir.resolve("t.log.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(bytes, bytes.length - 20));
        Run r = run("trace", gz.toString());
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().matches("ioreq-sim trace: .*t\\.log\\.gz:\\d+: truncated gzip stream \\(.*\\)\\R"), r.err());
    }

    @Test
    void malformedLineAndBadLayoutExitTwo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.log");
        Files.writeString(f, LINE + LINE.replace("size 1", "size one"));
        Run r = run("trace", f.toString());
        assertEquals(2, r.code());
        assertEquals("ioreq-sim trace: " + f + ":2: malformed memory_region_ops line: bad size 'one'\n",
                r.err().replace("\r\n", "\n"));
        Path layout = dir.resolve("l.conf");
        Files.writeString(layout, "name = l\nxen {}\nqemu { mmio = [ { name = a, start = 1 } ] }\n");
        Run bad = run("trace", f.toString(), "--layout", layout.toString());
        assertEquals(2, bad.code());
        assertEquals("ioreq-sim trace: " + layout + ":3: qemu.mmio[0].length: missing\n",
                bad.err().replace("\r\n", "\n"));
        assertEquals("", bad.out());
    }
}
