package org.ioreqsim.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} of a fleet scenario without {@code --cluster}: the same fleet code on a one-member cluster
 * in this JVM. Deterministic hosts give the same per-host figures every time; bad fleet input is one line.
 */
@Timeout(120)
class FleetCommandTest {
    static final String FLEET = """
            seed = 3
            requests = 200
            hosts = [ { name = web, count = 2, domains = [
                { count = 2, vcpus = 2, servers = [ { devices = [ { kind = uart, port = 0x3f8 } ] } ]
                  workload = [ { weight = 1, access = "pio write 0x3f8 size=1" }, { weight = 1, access = rtc } ] }
            ] } ]
            """;

    @Test
    void aLocalDeterministicFleetRunReportsEveryHostAndTheSameHostFiguresEveryTime(@TempDir Path dir)
            throws Exception {
        Path f = dir.resolve("fleet.conf");
        Files.writeString(f, FLEET);
        List<JsonNode> hosts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CliTest.Run r = CliTest.run("run", "--scenario", f.toString(), "--deterministic", "--json", "--report",
                    dir.resolve("report" + i).toString());
            assertEquals(0, r.code(), r.err());
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertEquals(2 * 2 * 2 * 200, json.at("/ioreqs/issued").asLong());
            assertEquals(json.at("/ioreqs/issued").asLong(), json.at("/ioreqs/completed").asLong());
            assertEquals("simulated", json.at("/timing/clock").asText());
            assertEquals(1, json.at("/members").size());
            assertEquals(2, json.at("/members/0/hosts").asInt());
            assertEquals(0, json.at("/lostHosts").size());
            JsonNode rows = json.at("/hosts");
            assertEquals(2, rows.size());
            rows.forEach(h -> ((ObjectNode) h).remove("member"));
            hosts.add(rows);
            assertTrue(Files.readString(dir.resolve("report" + i).resolve("index.html")).contains("web-1"));
        }
        assertEquals(hosts.get(0), hosts.get(1), "a deterministic host's figures do not depend on the run");
    }

    @Test
    void badFleetInputIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("fleet.conf");
        Files.writeString(f, FLEET);
        CliTest.Run r = CliTest.run("run", "--cluster", "127.0.0.1:2552", "--requests", "1");
        assertEquals(2, r.code());
        assertEquals("ioreq-sim run: --cluster runs a fleet scenario (a scenario file with hosts, docs/scenarios.md)",
                r.err().strip());
        r = CliTest.run("run", "--scenario", f.toString(), "--cluster", "nowhere");
        assertEquals(2, r.code());
        assertEquals("ioreq-sim run: --cluster: 'nowhere' is not HOST:PORT (e.g. 127.0.0.1:25520)", r.err().strip());
        r = CliTest.run("diff", f.toString());
        assertEquals(2, r.code());
        assertEquals("ioreq-sim diff: " + f + ": a fleet scenario (hosts) runs with run, not diff", r.err().strip());
        assertEquals("", r.out());
    }
}
