package org.ioreqsim.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gives one line on stderr and exit code 2; nothing on stdout. */
class CliTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "run --vcpus 0 | ioreq-sim run: --vcpus must be 1..128 (HVM_MAX_VCPUS)",
        "run --servers 9 | ioreq-sim run: --servers must be 1..8 (MAX_NR_IOREQ_SERVERS)",
        "run --duration forever | ioreq-sim run: --duration: 'forever' is not a duration (e.g. 5s, 250ms, 10us)",
        "run --bufioreq sometimes | ioreq-sim run: --bufioreq: 'sometimes' is not one of off, legacy, atomic",
        "run --xen fixEverything | ioreq-sim run: --xen: unknown option 'fixEverything' (known: legacyDefaultServer, fixOrphanedCompletion, fixBufferedDropClaim, skipNonBufferedInBroadcast, useLegacyGfns, amdExtendedCf8, fixAddVcpuCleanup)",
        "run --frobnicate | ioreq-sim run: Unknown option: '--frobnicate'",
        "run --domains | ioreq-sim run: Missing required parameter for option '--domains' (<domains>)",
        "run --requests 5 --duration 2s | ioreq-sim run: give --requests or --duration, not both",
        "run --duration 0s | ioreq-sim run: --duration: '0s' must be more than zero",
        "run --duration -5s | ioreq-sim run: --duration: '-5s' must be more than zero",
        "run --think -10us | ioreq-sim run: --think: '-10us' must not be negative",
        "fly | ioreq-sim: Unmatched argument at index 0: 'fly'",
        "script /no/such/file.ioreq | ioreq-sim script: /no/such/file.ioreq: cannot read (/no/such/file.ioreq)",
        "run --report /proc/nope | ioreq-sim run: --report /proc/nope: cannot create the directory (/proc/nope)",
        "run --scenario /no/such.conf | ioreq-sim run: /no/such.conf: cannot read",
        "diff --requests 0 | ioreq-sim diff: --requests must be at least 1",
        "diff examples/13-default-server-removal.ioreq --requests 5 | ioreq-sim diff: --requests applies to scenarios; examples/13-default-server-removal.ioreq is not one (*.conf)",
        "diff --layout qemu-q35 | ioreq-sim diff: --layout applies to traces; the default scenario is a scenario",
        "run --scenario examples/scenarios/orphaned-vcpus.conf --vcpus 3 | ioreq-sim run: --vcpus cannot be combined with --scenario (the file describes the guests)",
    })
    void badInputIsOneLineAndExitCode2(String args, String message) {
        Run r = run(args.split(" "));
        assertEquals(2, r.code(), r.err());
        assertEquals(message, r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void aBadScenarioFileNamesFileLineAndKeyAndWritesNoReport(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "domains = [\n  { vcpus = 2\n    workload = [ { weight = 1, acess = rtc } ] } ]\n");
        Path report = dir.resolve("out");
        Run r = run("run", "--scenario", f.toString(), "--report", report.toString());
        assertEquals(2, r.code());
        assertEquals("ioreq-sim run: " + f + ":3: domains[0].workload[0].acess: unknown key (known: access, weight)",
                r.err().strip());
        assertEquals("", r.out());
        assertTrue(!Files.exists(report.resolve("report.json")), "no partial report");
    }

    @Test
    void aScriptReportHasTheTranscriptAsJsonAndAsAPage(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        Run r = run("script", "../examples/04-synchronous-protocol.ioreq", "--report", out.toString());
        assertEquals(0, r.code(), r.err());
        String json = Files.readString(out.resolve("report.json"));
        assertTrue(json.contains("\"mismatched\" : 0") && json.contains("\"step\" : \"domain create 1 vcpus=2\""), json);
        assertTrue(Files.readString(out.resolve("index.html")).contains("<td>domain create 1 vcpus=2</td>"));
    }

    @Test
    void aScriptWithAFailedExpectationExitsWith1AndSaysWhere(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.ioreq");
        Files.writeString(f, "domain create 1 vcpus=1 => 0 domid=1\ndmop 0 1 create handle_bufioreq=3 => 0\n");
        Run r = run("script", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("MISMATCH, expected: 0"), r.out());
        assertTrue(r.out().contains("2 steps, 2 checked, 1 mismatched"), r.out());
    }

    @Test
    void aBadScriptLineStopsBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.ioreq");
        Files.writeString(f, "domain create 1 vcpus=1\ndmop 0 1 create handle_bufioreq=x\n");
        Run r = run("script", f.toString());
        assertEquals(2, r.code());
        assertEquals("ioreq-sim script: " + f + ":2: handle_bufioreq=x: not a number", r.err().strip());
        assertEquals("", r.out(), "no partial transcript");
    }

    /** {@code run --deterministic --json} twice: byte for byte the same. */
    @Test
    void aDeterministicRunPrintsTheSameJsonEveryTime() {
        String[] args = {"run", "--deterministic", "--json", "--domains", "3", "--vcpus", "2", "--requests", "3000"};
        Run a = run(args);
        Run b = run(args);
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("\"clock\" : \"simulated\""), a.out());
        assertEquals(a.out(), b.out());
    }

    /** A scenario diff runs both sides deterministically: twice, the same output. */
    @Test
    void aScenarioDiffIsTheSameEveryTime() {
        String[] args = {"diff", "../examples/scenarios/two-emulators-hotplug.conf", "--requests", "300"};
        Run a = run(args);
        Run b = run(args);
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("accesses changed handling"), a.out());
        assertEquals(a.out(), b.out());
    }

    /** An unusable report folder is refused before the run (one line, exit 2), and nothing is created. */
    @Test
    void aReportFolderThatCannotTakeTheReportIsRefusedUpFront(@TempDir Path dir) throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("index.html"));
        Run r = run("run", "--requests", "10", "--report", blocked.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("ioreq-sim run: --report " + blocked + ": index.html is a directory", r.err().strip());
        assertEquals("", r.out());
        Path fresh = dir.resolve("a/b/c");
        Run ok = run("run", "--requests", "10", "--report", fresh.toString(), "--json");
        assertEquals(0, ok.code(), ok.err());
        assertEquals("report written to " + fresh.resolve("index.html"), ok.err().strip());
        assertEquals(java.util.Set.of("index.html", "report.json"), java.util.Set.copyOf(
                Files.list(fresh).map(p -> p.getFileName().toString()).toList()), "no temporary files left");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fresh.resolve("report.json"))));
        Run again = run("run", "--requests", "10", "--report", fresh.toString(), "--json");
        assertTrue(again.err().contains("(replaced an earlier report)"), again.err());
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        Run traces = run("stress", "--seeds", "3", "--traces", file.toString());
        assertEquals(2, traces.code());
        assertEquals("ioreq-sim stress: --traces " + file + ": exists and is not a directory", traces.err().strip());
        Run checkOnly = run("run", "--requests", "1", "--domains", "0", "--report", dir.resolve("never").toString());
        assertEquals(2, checkOnly.code());
        assertTrue(Files.notExists(dir.resolve("never")), "bad input leaves no folder behind");
    }

    /** What no guest can issue is refused in scripts and scenarios, before anything runs. */
    @Test
    void impossibleGuestAccessesAreRefused(@TempDir Path dir) throws Exception {
        Path port = dir.resolve("port.ioreq");
        Files.writeString(port, "domain create 1 vcpus=1\nio 1.0 pio read 0x1ffff\n");
        Run r = run("script", port.toString());
        assertEquals(2, r.code());
        assertEquals("ioreq-sim script: " + port + ":2: argument 4=0x1ffff: a guest's ports are 0..0xFFFF", r.err().strip());
        Path size = dir.resolve("size.ioreq");
        Files.writeString(size, "domain create 1 vcpus=1\nio 1.0 pio read 0x10 size=3\n");
        r = run("script", size.toString());
        assertEquals(2, r.code());
        assertEquals("ioreq-sim script: " + size + ":2: size=3: a guest's port access is 1, 2 or 4 bytes", r.err().strip());
        Path conf = dir.resolve("t.conf");
        Files.writeString(conf, "requests = 10\ndomains = [ { count = 1, workload = [ { weight = 1, access = "
                + "\"pio read 0x1ffff size=1\" } ] } ]\n");
        r = run("run", "--scenario", conf.toString());
        assertEquals(2, r.code());
        assertEquals("ioreq-sim run: " + conf + ":2: domains[0].workload[0].access: a guest's ports are 0..0xffff, "
                + "not 0x1ffff", r.err().strip());
        Files.writeString(conf, "duration = -1s\ndomains = [ { count = 1 } ]\n");
        assertEquals("ioreq-sim run: " + conf + ":1: duration: must be more than zero",
                run("run", "--scenario", conf.toString()).err().strip());
    }
}
