package org.ioreqsim.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ioreqsim.sim.UserInputException;
import org.junit.jupiter.api.Test;

/** Fleet scenarios: {@code hosts}, templated with a count, and one line for each thing they get wrong. */
class FleetScenarioFileTest {

    private static final String GUESTS = """
            domains = [ { count = 2, vcpus = 3, servers = [ { devices = [ { kind = uart, port = 0x3f8 } ] } ],
                          workload = [ { weight = 1, access = "pio write 0x3f8 size=1" } ] } ]
            """;

    private static final String FLEET = """
            seed = 9
            requests = 100
            xen-options = [fixOrphanedCompletion]
            hosts = [
              { name = web, count = 3, %s
                events = [ { at = 1s, action = destroy-server, domain = 2, server = 0 } ] }
              { name = db, %s }
            ]
            """.formatted(GUESTS, GUESTS);

    private static String error(String text) {
        return assertThrows(UserInputException.class, () -> ScenarioFile.parse("f.conf", text)).getMessage();
    }

    @Test
    void aFleetExpandsIntoNamedHostsEachWithItsOwnSeed() {
        Scenario s = ScenarioFile.parse("f.conf", FLEET);
        assertTrue(s.fleet());
        assertTrue(s.groups().isEmpty());
        assertEquals(List.of("web", "db"), s.hosts().stream().map(HostTemplate::name).toList());
        List<HostTemplate.Host> hosts = s.fleetHosts();
        assertEquals(List.of("web-0", "web-1", "web-2", "db-0"), hosts.stream().map(HostTemplate.Host::name).toList());
        assertEquals(4 * 2, s.totalDomains());
        assertEquals(4 * 2 * 3, s.totalVcpus());
        Set<Long> seeds = new HashSet<>();
        for (HostTemplate.Host h : hosts) {
            assertFalse(h.scenario().fleet(), "a host runs one machine");
            assertEquals(100, h.scenario().run().requests());
            assertTrue(h.scenario().xen().options().fixOrphanedCompletion(), "the fleet's Xen on every host");
            assertEquals(HostTemplate.hostSeed(9, h.index()), h.scenario().run().seed());
            seeds.add(h.scenario().run().seed());
        }
        assertEquals(4, seeds.size(), "no two hosts issue the same accesses");
        assertNotEquals(HostTemplate.hostSeed(9, 0), HostTemplate.hostSeed(10, 0));
        assertEquals(1, hosts.get(0).scenario().events().size());
        assertTrue(hosts.get(3).scenario().events().isEmpty());
        assertEquals(hosts.get(1).scenario(), s.fleetHosts().get(1).scenario(), "the same hosts every time");
    }

    @Test
    void aHostWithoutNameOrCountIsOneHostNamedHost() {
        Scenario s = ScenarioFile.parse("f.conf", "hosts = [ { " + GUESTS + " } ]");
        assertEquals(List.of("host-0"), s.fleetHosts().stream().map(HostTemplate.Host::name).toList());
    }

    @Test
    void badFleetsStopWithOneLineNamingFileLineAndKey() {
        assertEquals("f.conf:1: domains: a fleet scenario (hosts) gives each host its domains: hosts[i].domains",
                error(GUESTS.strip() + "\nhosts = [ { " + GUESTS + " } ]"));
        assertEquals("f.conf:1: hosts: needs at least one host", error("hosts = []"));
        assertEquals("f.conf:1: hosts: must be a list of objects", error("hosts = 3"));
        assertEquals("f.conf:1: hosts[0].vcpus: unknown key (known: count, domains, events, name)",
                error("hosts = [ { vcpus = 2, " + GUESTS + " } ]"));
        assertEquals("f.conf:1: hosts[0].name: 'web-1' is not a host name (a letter, then up to 39 letters, digits "
                + "or _; its hosts are NAME-0, NAME-1, ...)", error("hosts = [ { name = web-1, " + GUESTS + " } ]"));
        assertEquals("f.conf:3: hosts[1].name: two hosts entries named 'a' (give each a name)",
                error("hosts = [ { name = a, " + GUESTS + " }, { name = a, " + GUESTS + " } ]"));
        assertEquals("f.conf:1: hosts[0].count: 0 is out of range 1..1000000",
                error("hosts = [ { count = 0, " + GUESTS + " } ]"));
        assertEquals("f.conf:3: hosts[1].count: more than 1000000 hosts in all",
                error("hosts = [ { name = a, count = 600000, " + GUESTS + " }, { name = b, count = 400001, "
                        + GUESTS + " } ]"));
        assertEquals("f.conf:1: hosts[0].domains: missing (a list of domain groups: the guests of each host)",
                error("hosts = [ { name = a } ]"));
        assertEquals("f.conf:2: hosts[0].domains[0].vcpus: 0 is out of range 1..128",
                error("hosts = [ {\ndomains = [ { vcpus = 0, workload = [ { weight = 1, access = rtc } ] } ] } ]"));
        assertEquals("f.conf:1: hosts[0].events[0].domain: 3 is out of range 1..2",
                error("hosts = [ { events = [ { at = 1s, action = pause-domain, domain = 3 } ], " + GUESTS + " } ]"));
    }
}
