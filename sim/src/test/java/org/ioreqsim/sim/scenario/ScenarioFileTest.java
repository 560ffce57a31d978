package org.ioreqsim.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.sim.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario files: what they say, and one line naming file, line and key for what they get wrong. */
class ScenarioFileTest {

    private static final String GOOD = """
            seed = 7
            duration = 2s
            think = 10us
            loop = open
            rate = 5000
            xen-options = [fixOrphanedCompletion]
            domains = [
              {
                count = 3
                vcpus = 2
                vga = true
                cpu { vendor = amd, family = 0x17 }
                intercepts = [ { name = pit, space = pio, start = 0x40, length = 4 } ]
                servers = [
                  { bufioreq = legacy, devices = [
                      { kind = uart, port = 0x3f8 }
                      { kind = pci, bdf = "00:03.0", bar = 0xfebc0000, bar-size = 0x20000, name = nic }
                  ] }
                ]
                workload = [
                  { weight = 3, access = "pio write 0x3f8 size=1" }
                  { weight = 1, access = "mmio read 0xfebc0000-0xfebc00ff size=4 count=2" }
                  { weight = 1, access = "pci read 00:03.0 reg=0-0x3f size=2" }
                  { weight = 1, access = "rtc" }
                ]
              }
            ]
            events = [
              { at = 1s, action = destroy-server, domain = 2, server = 0 }
              { at = 500ms, action = map, domain = 1, server = 0, type = port, start = 0x2f8, end = 0x2ff }
            ]
            """;

    @Test
    void aWholeScenarioReadsAsWritten() {
        Scenario s = ScenarioFile.parse("good.conf", GOOD);
        assertEquals(7, s.run().seed());
        assertEquals(0, s.run().requests());
        assertEquals(Duration.ofSeconds(2), s.run().duration());
        assertEquals(Duration.ofNanos(10_000), s.run().think());
        assertTrue(s.run().openLoop());
        assertEquals(5000.0, s.run().ratePerSec());
        assertTrue(s.xen().options().fixOrphanedCompletion());
        assertEquals(3, s.totalDomains());
        assertEquals(6, s.totalVcpus());
        DomainGroup g = s.groups().get(0);
        assertEquals(0x17, g.family());
        assertEquals(BufioreqMode.LEGACY, g.servers().get(0).bufioreq());
        DeviceSpec nic = g.servers().get(0).devices().get(1);
        assertEquals(Pci.sbdf(0, 0, 3, 0), nic.sbdf());
        assertEquals(0xFEBC0000L, nic.start());
        AccessTemplate mmio = g.workload().get(1);
        assertEquals(AccessTemplate.Kind.MMIO, mmio.kind());
        assertEquals(0xFEBC00FFL, mmio.last());
        assertEquals(2, mmio.count());
        AccessTemplate pci = g.workload().get(2);
        assertEquals(0x3F, pci.last());
        assertEquals(2, pci.size());
        // events come sorted by time
        assertEquals(ScenarioEvent.Action.MAP, s.events().get(0).action());
        assertEquals(0x2FF, s.events().get(0).end());
    }

    @Test
    void requestsDefaultWhenNeitherRequestsNorDurationIsGiven() {
        Scenario s = ScenarioFile.parse("min.conf", "domains = [ { workload = [ { weight = 1, access = rtc } ] } ]");
        assertEquals(20_000, s.run().requests());
        assertFalse(s.run().openLoop());
    }

    private static String error(String text) {
        return assertThrows(UserInputException.class, () -> ScenarioFile.parse("s.conf", text)).getMessage();
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndPath() {
        String m = error(GOOD.replace("vga = true", "vga = true\n    vgaa = false"));
        assertTrue(m.startsWith("s.conf:12: domains[0].vgaa: unknown key"), m);
    }

    @Test
    void syntaxErrorsAreOneLineWithTheFileName() {
        String m = error("domains = [ { count = 1 ");
        assertTrue(m.startsWith("s.conf"), m);
        assertFalse(m.contains("\n"), m);
    }

    @Test
    void impossibleValuesNameTheKeyAndTheRange() {
        assertEquals("s.conf:1: domains[0].vcpus: 0 is out of range 1..128",
                error("domains = [ { vcpus = 0, workload = [ { weight = 1, access = rtc } ] } ]"));
        assertTrue(error("domains = [ { count = many, workload = [] } ]").contains("domains[0].count: 'many' is not a number"));
        assertTrue(error("duration = 1s\nrequests = 5\ndomains = []").contains("duration: give requests or duration"));
        assertTrue(error("loop = open\ndomains = []").contains("loop: an open loop needs rate"));
        assertTrue(error("xen-options = [noSuchFix]\ndomains = []").startsWith("s.conf:1: xen-options:"));
    }

    @Test
    void badAccessesAreNamedWithTheirWorkloadEntry() {
        String m = error("domains = [ { workload = [ { weight = 1, access = \"pio write 0x3f8 size=3\" } ] } ]");
        assertEquals("s.conf:1: domains[0].workload[0].access: a port access is 1, 2 or 4 bytes, not 3", m);
        assertTrue(error("domains = [ { workload = [ { weight = 1, access = \"dma write 0\" } ] } ]")
                .contains("unknown access kind 'dma'"));
        assertTrue(error("domains = [ { workload = [ { weight = 1, access = \"pci read 0:3.0 reg=0-0x100\" } ] } ]")
                .contains("registers go up to 0xff"));
        assertTrue(error("domains = [ { } ]").contains("domains[0].workload: missing"));
    }

    @Test
    void badDevicesAndEventsAreNamed() {
        assertTrue(error("domains = [ { servers = [ { devices = [ { kind = pci, bdf = \"3.0\" } ] } ],"
                + " workload = [ { weight = 1, access = rtc } ] } ]")
                .contains("domains[0].servers[0].devices[0].bdf: a PCI function is BB:DD.F"));
        assertTrue(error("domains = [ { servers = [ { devices = [ { kind = pci, bdf = \"0:3.0\", bar = 0xfe000000 } ] } ],"
                + " workload = [ { weight = 1, access = rtc } ] } ]").contains("a BAR needs both bar and bar-size"));
        String w = "domains = [ { workload = [ { weight = 1, access = rtc } ] } ]\n";
        assertTrue(error(w + "events = [ { at = 1s, action = explode, domain = 1 } ]")
                .contains("events[0].action: unknown action 'explode'"));
        assertEquals("s.conf:2: events[0].domain: 2 is out of range 1..1",
                error(w + "events = [ { at = 1s, action = destroy-domain, domain = 2 } ]"));
        assertTrue(error(w + "events = [ { at = soon, action = pause-domain, domain = 1 } ]")
                .contains("events[0].at: not a duration"));
    }

    @Test
    void someVcpusCanHaveTheirOwnWorkload() {
        String g = "domains = [ { vcpus = 4, workload = [ { weight = 1, access = rtc } ]\n";
        Scenario s = ScenarioFile.parse("s.conf", g + "vcpu-workloads = [ { vcpus = \"2-3\", workload = ["
                + " { weight = 1, access = invalidate } ] } ] } ]");
        DomainGroup d = s.groups().get(0);
        assertEquals(AccessTemplate.Kind.RTC, d.workloadOf(1).get(0).kind());
        assertEquals(AccessTemplate.Kind.INVALIDATE, d.workloadOf(3).get(0).kind());
        assertEquals("s.conf:2: domains[0].vcpu-workloads[0].vcpus: vCPU ids go up to 127",
                error(g + "vcpu-workloads = [ { vcpus = \"0-200\", workload = [ { weight = 1, access = rtc } ] } ] } ]"));
        assertTrue(error(g + "vcpu-workloads = [ { vcpus = \"3\" } ] } ]")
                .contains("domains[0].vcpu-workloads[0].workload: missing"));
    }

    /** Spec section 14: the default server exists only before the seed commit. */
    @Test
    void theDefaultServerNeedsXenBeforeTheSeed() {
        String servers = "servers = [ { default-server = true } ], workload = [ { weight = 1, access = rtc } ] } ]";
        assertTrue(error("domains = [ { " + servers).contains(
                "domains[0].servers[0].default-server: needs xen-options = [legacyDefaultServer]"));
        Scenario s = ScenarioFile.parse("s.conf", "xen-options = [legacyDefaultServer]\ndomains = [ { " + servers);
        assertTrue(s.groups().get(0).usesDefaultServer());
        assertTrue(error("xen-options = [legacyDefaultServer]\ndomains = [ { servers = [ {}, { default-server = true } ],"
                + " workload = [ { weight = 1, access = rtc } ] } ]").contains("only the first server can be the default"));
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.conf");
        assertEquals(missing + ": cannot read", assertThrows(UserInputException.class,
                () -> ScenarioFile.load(missing)).getMessage());
        Path good = dir.resolve("good.conf");
        Files.writeString(good, GOOD);
        assertEquals(7, ScenarioFile.load(good).run().seed());
    }
}
