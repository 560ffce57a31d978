package org.ioreqsim.sim.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ioreqsim.sim.exec.SimActors;
import org.ioreqsim.sim.scenario.BuiltInGuests;
import org.ioreqsim.sim.scenario.RunSettings;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.ScenarioFile;
import org.ioreqsim.sim.scenario.XenSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole runs: the default scenario's accounting, scenario files, lifecycle events and stalled vCPUs. */
class SimulationTest {

    private static RunReport run(Scenario s) {
        try (Simulation sim = Simulation.free(s)) {
            return sim.run(n -> { });
        }
    }

    private static Scenario builtIn(BuiltInGuests guests, RunSettings settings) {
        return Scenario.builtIn(guests, settings, XenSettings.DEFAULT);
    }

    @Test
    void aRequestCountRunCompletesEveryIoreqItIssues() {
        RunReport r = run(builtIn(BuiltInGuests.DEFAULT.withShape(2, 2, 2), RunSettings.DEFAULT.withRequests(500, Duration.ZERO)));
        assertEquals(2L * 2 * 500, r.ioreqs().issued());
        assertEquals(r.ioreqs().issued(), r.ioreqs().completed());
        assertTrue(r.ioreqs().byRoute().get("server-1-0") > 0);
        assertTrue(r.ioreqs().byRoute().get("server-2-1") > 0, "accesses to the second server's devices");
        assertTrue(r.ioreqs().byRoute().get("null") > 0, "ports nobody claims (spec section 5.1)");
        assertTrue(r.stalledVcpus().isEmpty());
    }

    /**
     * Every vCPU of thousands of domains issues its requests: the domain actors spawn vCPUs (and read the
     * group's plan) while the run is still asking for further domains. With the plans in a map still being
     * filled, a vCPU now and then got none and sat idle, and the run ended "done": one or two of 1,000,000
     * vCPUs in 3 of 5 runs, one of 50,000 in 1 of 2 runs of this shape (a race: this test catches it at
     * that rate, not every time).
     */
    @Test
    void everyVcpuOfThousandsOfDomainsIssuesItsRequests() {
        RunReport r = run(builtIn(BuiltInGuests.DEFAULT.withShape(5_000, 10, 1),
                RunSettings.DEFAULT.withRequests(1, Duration.ZERO)));
        assertEquals(5_000L * 10, r.ioreqs().issued());
        assertEquals(r.ioreqs().issued(), r.ioreqs().completed());
        assertEquals("done", r.timing().endedBy());
    }

    @Test
    void theSameSeedDrawsTheSameAccessesSoRoutesMatchExactly() {
        // Routing depends only on what each vCPU draws, which depends only on the seed and its identity.
        RunSettings settings = RunSettings.DEFAULT.withRequests(300, Duration.ZERO).withSeed(11);
        BuiltInGuests guests = BuiltInGuests.DEFAULT.withShape(2, 2, 1);
        RunReport a = run(builtIn(guests, settings));
        RunReport b = run(builtIn(guests, settings));
        assertEquals(a.ioreqs().byRoute(), b.ioreqs().byRoute());
        RunReport c = run(builtIn(guests, settings.withSeed(12)));
        assertTrue(!a.ioreqs().byRoute().equals(c.ioreqs().byRoute()), "another seed, other draws");
    }

    /** Spec section 16, H1: vCPUs waiting on a destroyed server stay blocked; the run lists them. */
    @Test
    void vcpusOrphanedByADestroyedServerEndTheRunAsStalled() {
        RunReport r = run(ScenarioFile.load(Path.of("../examples/scenarios/orphaned-vcpus.conf")));
        assertEquals(List.of("0", "0"), r.events().stream().map(RunReport.LifecycleEvent::result).toList());
        assertEquals(4, r.stalledVcpus().size(), String.join("\n", r.stalledVcpus()));
        assertTrue(r.stalledVcpus().stream().allMatch(v -> v.startsWith("d1v") && v.contains("BLOCKED_ORPHANED")));
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("d1: H1:")));
        assertTrue(r.ioreqs().byRoute().get("server-2-1") > 0, "the other guest ran on");
        assertEquals(4, r.ioreqs().issued() - r.ioreqs().completed(), "the four orphaned accesses never complete");
    }

    @Test
    void vcpusWithTheirOwnWorkloadDrawOnlyFromIt() {
        Scenario s = ScenarioFile.parse("v.conf", """
                requests = 100
                domains = [ {
                  count = 2, vcpus = 3
                  servers = [ { devices = [ { kind = uart, port = 0x3f8 } ] } ]
                  workload = [ { weight = 1, access = "pio write 0x3f8 size=1" } ]
                  vcpu-workloads = [ { vcpus = "1-2", workload = [ { weight = 1, access = "pio read 0x2f8 size=1" } ] } ]
                } ]
                """);
        AccessLog log = new AccessLog();
        try (Simulation sim = new Simulation(s, new SimActors("ioreq-sim", SimActors.akkaConfig()), log)) {
            sim.run(n -> { });
        }
        var counts = log.snapshot();
        assertEquals(java.util.Set.of("pio write 0x3f8 size=1", "vcpus 1-2: pio read 0x2f8 size=1"), counts.keySet());
        assertEquals(2 * 100, counts.get("pio write 0x3f8 size=1").get("server-1-0").accesses()
                + counts.get("pio write 0x3f8 size=1").get("server-2-0").accesses(), "vCPU 0 of both guests");
        assertEquals(2 * 2 * 100, counts.get("vcpus 1-2: pio read 0x2f8 size=1").get("null").reads());
    }

    @Test
    void lifecycleEventsReportXensAnswers() {
        Scenario s = ScenarioFile.parse("events.conf", """
                duration = 1s
                domains = [ {
                  count = 1, vcpus = 2
                  servers = [ { devices = [ { kind = uart, port = 0x3f8 } ] } ]
                  workload = [ { weight = 1, access = "pio write 0x3f8 size=1" }, { weight = 1, access = "pio read 0x600 size=1" } ]
                } ]
                events = [
                  { at = 100ms, action = add-vcpu, domain = 1 }
                  { at = 200ms, action = map, domain = 1, server = 0, type = port, start = 0x600, end = 0x600 }
                  { at = 250ms, action = map, domain = 1, server = 0, type = port, start = 0x600, end = 0x601 }
                  { at = 300ms, action = destroy-server, domain = 1, server = 5 }
                  { at = 400ms, action = remove-vcpu, domain = 1, vcpu = 7 }
                  { at = 500ms, action = create-server, domain = 1, server = 0 }
                  { at = 10s, action = pause-domain, domain = 1 }
                ]
                """);
        RunReport r = run(s);
        List<String> results = r.events().stream().map(RunReport.LifecycleEvent::result).toList();
        assertEquals(List.of("0 (vcpu 2)", "0", "-17 EEXIST", "-2 ENOENT", "-2 ENOENT", "0 (server-1-1)",
                "not reached (the run ended first)"), results);
        assertTrue(r.ioreqs().byRoute().containsKey("server-1-0"));
        assertEquals(r.ioreqs().issued(), r.ioreqs().completed());
    }

    /**
     * Many identical guests in a free run are served alike (no guest starves). On Akka's fork-join
     * pool the same shape gave Jain's index 0.35 to 0.81 with some guests at zero; on the fair run
     * queue it measures 0.9995 to 1.0000, idle or loaded. The bound 0.95 leaves a wide margin for a
     * loaded CI machine: a 2-second run on a machine that takes the cores away for a while shifts every
     * guest alike, since they all wait in one FIFO queue.
     */
    @Test
    void identicalGuestsAreServedAlikeInAFreeRun() {
        RunReport r = run(builtIn(BuiltInGuests.DEFAULT.withShape(40, 4, 1),
                RunSettings.DEFAULT.withRequests(0, Duration.ofMillis(1500))));
        Fairness.Group g = r.fairness().get(0);
        assertEquals(40, g.compared());
        assertTrue(g.perGuest().min() > 0, "no guest starved: " + g.perGuest());
        assertTrue(g.perServer().get(0).min() > 0, "no server starved: " + g.perServer());
        assertTrue(g.perGuest().jainIndex() >= 0.95, "per guest: " + g.perGuest());
        assertTrue(g.perVcpu().jainIndex() >= 0.95, "per vCPU: " + g.perVcpu());
        assertTrue(g.perServer().get(0).jainIndex() >= 0.95, "per server: " + g.perServer());
        assertTrue(r.findings().isEmpty(), r.findings().toString());
    }

    /** The same scenario and seed, run deterministically twice, give the same report, field for field. */
    @Test
    void aDeterministicRunGivesTheSameReportEveryTime() throws Exception {
        Scenario s = ScenarioFile.parse("det.conf", """
                seed = 5
                duration = 200ms
                domains = [ {
                  count = 3, vcpus = 2, vga = true
                  servers = [ { devices = [ { kind = uart, port = 0x3f8 }, { kind = ram, mmio = 0xa0000, length = 0x20000 } ] } ]
                  workload = [ { weight = 2, access = "pio write 0x3f8 size=1" }, { weight = 1, access = "pio read 0x2f8 size=1" }
                               { weight = 1, access = "mmio write 0xa0000-0xbffff size=2" } ]
                } ]
                events = [
                  { after = 5000, action = add-vcpu, domain = 1 }
                  { at = 50ms, action = disable-server, domain = 2, server = 0 }
                  { at = 120ms, action = enable-server, domain = 2, server = 0 }
                ]
                """);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String first;
        try (Simulation sim = Simulation.deterministic(s, null)) {
            RunReport r = sim.run(n -> { });
            first = json.writeValueAsString(r);
            assertEquals("simulated", r.timing().clock());
            assertEquals(0.2, r.elapsedSeconds(), 0.001, "a duration of simulated time");
            assertEquals(List.of(0.05, 0.12), r.events().subList(1, 3).stream().map(RunReport.LifecycleEvent::atSeconds)
                    .toList(), "timed events fire at their simulated time exactly");
            assertEquals("0 (vcpu 2)", r.events().get(0).result());
            assertEquals(List.of(2), r.fairness().get(0).leftOut().subList(1, 2), "d1 and d2 were touched");
            assertEquals(r.ioreqs().issued(), r.ioreqs().completed());
            assertTrue(r.latencyMicros().max() < 10_000, "no access waits for the emulator's 100 ms poll: a"
                    + " request held behind the ring makes the emulator look at the ring again, as QEMU drains it"
                    + " before a synchronous request (max " + r.latencyMicros().max() + " us)");
        }
        try (Simulation sim = Simulation.deterministic(s, null)) {
            assertEquals(first, json.writeValueAsString(sim.run(n -> { })));
        }
    }
}
