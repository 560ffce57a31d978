package org.ioreqsim.sim.run.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.ioreqsim.sim.cluster.ClusterNode;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.cluster.LocalMembers;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.ScenarioFile;
import org.ioreqsim.sim.stress.CodeFingerprint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet run on a real cluster: two member JVMs ({@code ioreq-sim node}, worker role) on 127.0.0.1, and this
 * JVM as the submitting client member that holds no host, every member with
 * {@code akka.actor.serialize-messages = on}; every fleet message crosses the network (Artery TCP) through
 * Jackson CBOR. Every host completes every ioreq it issued, and the hosts spread over both members.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FleetRunTest {
    /** Four hosts of 4 vCPUs each (three of 2 guests x 2 vCPUs, one of a 4-vCPU guest), 300 accesses per vCPU. */
    static final String FLEET = """
            seed = 5
            requests = 300
            hosts = [
              { name = web, count = 3, domains = [
                  { count = 2, vcpus = 2, servers = [ { devices = [ { kind = uart, port = 0x3f8 } ] } ]
                    workload = [ { weight = 3, access = "pio write 0x3f8 size=1" }
                                 { weight = 1, access = "pio read 0x3fd size=1" } ] }
              ] }
              { name = db, domains = [
                  { count = 1, vcpus = 4, servers = [ { devices = [ { kind = ram, mmio = 0xfe000000, length = 0x1000 } ] } ]
                    workload = [ { weight = 1, access = "mmio write 0xfe000000-0xfe000fff size=4" } ] }
              ] }
            ]
            """;

    /**
     * Every message through its serializer; joins retried every 2 s and given up only after 170 s (a JVM can
     * take a minute to start on a loaded machine), as ClusterCampaignTest's members.
     */
    private static final String MEMBER_CONFIG = """
            akka.actor.serialize-messages = on
            akka.cluster.seed-node-timeout = 2s
            akka.cluster.retry-unsuccessful-join-after = 2s
            akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 170s
            """;

    @TempDir
    static Path dir;
    private static LocalMembers members;
    private static ClusterNode client;

    @BeforeAll
    static void startTheCluster() throws IOException {
        Path config = Files.writeString(dir.resolve("member.conf"), MEMBER_CONFIG);
        members = LocalMembers.start(2, 0, List.of("-Xmx256m"), (i, port, seed) -> List.of(
                "org.ioreqsim.sim.cli.Main", "node", "--port", String.valueOf(port), "--seed-nodes", seed,
                "--workers", "1", "--config", config.toString()), line -> { }, Duration.ofMinutes(3));
        var code = CodeFingerprint.current();
        client = ClusterNode.start(ClusterSettings.client(members.members().get(0).hostPort(), config, code.version(),
                code.model()), List.of(new FleetMembers()));
    }

    @AfterAll
    static void stopTheCluster() {
        if (client != null) {
            client.close();
        }
        if (members != null) {
            members.close();
        }
    }

    @Test
    void everyHostCompletesEveryIoreqItIssuedAndTheHostsSpreadOverBothMembers() {
        Scenario fleet = ScenarioFile.parse("fleet.conf", FLEET);
        FleetReport r = new FleetRun(client.system(), fleet, false).run((completed, nanos) -> { });

        assertTrue(r.lostHosts().isEmpty(), () -> "lost: " + r.lostHosts());
        assertEquals(List.of("db-0", "web-0", "web-1", "web-2"), r.hosts().stream().map(FleetReport.HostRow::host)
                .sorted().toList());
        for (FleetReport.HostRow h : r.hosts()) {
            assertEquals(4 * 300, h.issued(), h.host() + " issued");
            assertEquals(h.issued(), h.completed(), h.host() + " completed");
            assertEquals("done", h.endedBy(), h.host());
        }
        assertEquals(4 * 4 * 300, r.ioreqs().issued());
        assertEquals(r.ioreqs().issued(), r.ioreqs().completed());
        assertEquals(r.ioreqs().completed(), r.latencyHistogram().stream().mapToLong(b -> b.count()).sum(),
                "the merged histogram counts every operation of every host");

        Set<String> workers = new TreeSet<>(members.members().stream().map(LocalMembers.Member::hostPort).toList());
        assertEquals(workers, new TreeSet<>(r.members().stream().map(FleetReport.MemberRow::member).toList()),
                "hosts on both members, none on the client " + client.hostPort());
        assertEquals(2, r.members().stream().mapToInt(FleetReport.MemberRow::hosts).max().orElse(0),
                "two hosts each: a new host goes to the member holding the fewest");
        assertEquals(r.ioreqs().completed(), r.members().stream().mapToLong(FleetReport.MemberRow::completed).sum());
        assertEquals(4, r.network().sent(), "one start per host");
        assertTrue(r.network().received() >= 8, "a start and an end from every host at least");
        assertTrue(members.members().stream().allMatch(m -> m.process().isAlive()), "every member still up");
    }
}
