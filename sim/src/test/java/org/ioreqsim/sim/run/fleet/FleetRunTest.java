package org.ioreqsim.sim.run.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.ScenarioFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fleet run on a real cluster: two members that hold hosts and a client member that submits the run
 * and holds none, three actor systems in this JVM on 127.0.0.1 (Artery TCP between them), with
 * {@code serialize-messages = on}, so every fleet message goes through Jackson CBOR even between actors
 * of one member. Every host completes every ioreq it issued, and the hosts spread over both members.
 */
@Timeout(120)
class FleetRunTest {
    /** Four hosts of 2 guests x 2 vCPUs, 300 accesses per vCPU. */
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

    private static ActorSystem<Void> first;
    private static ActorSystem<Void> second;
    private static ActorSystem<Void> client;

    static Config config(List<String> roles) {
        return ConfigFactory.parseString("akka.actor.serialize-messages = on")
                .withFallback(FleetCluster.config(0, roles));
    }

    @BeforeAll
    static void startTheCluster() {
        first = ActorSystem.create(Behaviors.empty(), FleetCluster.SYSTEM, config(List.of(FleetHosting.ROLE)));
        second = ActorSystem.create(Behaviors.empty(), FleetCluster.SYSTEM, config(List.of(FleetHosting.ROLE)));
        client = ActorSystem.create(Behaviors.empty(), FleetCluster.SYSTEM, config(List.of()));
        akka.actor.Address seed = Cluster.get(first).selfMember().address();
        for (ActorSystem<Void> s : List.of(first, second, client)) {
            Cluster.get(s).manager().tell(Join.create(seed));
        }
        FleetHosting.host(first);
        FleetHosting.host(second);
    }

    @AfterAll
    static void stopTheCluster() {
        List<ActorSystem<Void>> all = List.of(client, second, first);
        all.forEach(ActorSystem::terminate);
        all.forEach(FleetCluster::stop);
    }

    @Test
    void everyHostCompletesEveryIoreqItIssuedAndTheHostsSpreadOverBothMembers() {
        Scenario fleet = ScenarioFile.parse("fleet.conf", FLEET);
        FleetReport r = new FleetRun(client, fleet, false).run((completed, nanos) -> { });

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

        Set<String> members = new TreeSet<>(List.of(FleetHosting.member(first), FleetHosting.member(second)));
        assertEquals(members, new TreeSet<>(r.members().stream().map(FleetReport.MemberRow::member).toList()),
                "hosts on both members, none on the client " + FleetHosting.member(client));
        assertEquals(2, r.members().stream().mapToInt(FleetReport.MemberRow::hosts).max().orElse(0),
                "two hosts each: a new host goes to the member holding the fewest");
        assertEquals(r.ioreqs().completed(), r.members().stream().mapToLong(FleetReport.MemberRow::completed).sum());
        assertEquals(4, r.network().sent(), "one start per host");
        assertTrue(r.network().received() >= 8, "a start and an end from every host at least");
        assertFalse(StreamSupport.stream(Cluster.get(client).state().getMembers().spliterator(), false)
                .anyMatch(m -> m.status() != MemberStatus.up()), "every member still up");
    }
}
