package org.ioreqsim.sim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ioreqsim.domain.ServerSelector;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.stress.Pct;
import org.ioreqsim.sim.stress.RaceScenario;
import org.ioreqsim.sim.stress.RandomWalk;
import org.ioreqsim.sim.stress.ScheduleResult;
import org.ioreqsim.sim.stress.StressConfig;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The testkit as a user writes with it: a domain, a probe standing in for QEMU, and a race. */
class TestbedTest {
    private static ControlledHarness harness;

    @BeforeAll
    static void start() {
        harness = ControlledHarness.create();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** Sets up one server owning ports 0x1000..0x1007 and has vCPU 0 read port 0x1000. */
    private static Pending<Outcome> serverAndRead(Testbed s, DomainHandle d, EmulatorProbe q, int[] id) {
        id[0] = q.createServer(BufioreqMode.OFF).get().value();
        assertTrue(q.acquirePages(id[0]).get().isOk());
        assertTrue(q.setState(id[0], true).get().isOk());
        assertTrue(q.bind(0).get().isOk());
        assertTrue(q.map(id[0], RangeType.PORT, 0x1000, 0x1007).get().isOk());
        return d.run(0, GuestOp.Io.pioRead(0x1000, 1));
    }

    @Test
    void destroyingAServerWhileItsRequestIsInProcessOrphansTheVcpu() {
        try (Testbed s = harness.testbed(7, new RandomWalk(), XenOptions.SEED)) {
            DomainHandle d = s.createDomain(1);
            EmulatorProbe qemu = s.emulator(d);
            int[] id = new int[1];
            Pending<Outcome> read = serverAndRead(s, d, qemu, id);
            assertTrue(s.runUntil(() -> qemu.pendingRequests().contains(0)), "the request reached the probe");
            assertTrue(qemu.take(0).get().isOk(), "READY -> INPROCESS");
            assertTrue(qemu.destroy(id[0]).get().isOk());
            s.runUntilQuiescent();
            s.checkLiveness();
            assertTrue(s.coverage().contains(RaceScenario.DESTROY_WHILE_INPROCESS), s.coverage().toString());
            assertTrue(s.findings().containsKey("H1"), s.findings().toString());
            assertFalse(read.isDone(), "nothing wakes an orphaned vCPU");
            s.assertNoViolations();
        }
    }

    /**
     * Spec 17 liveness: an emulator that holds the vCPU's port (it bound it itself) and never answers
     * leaves a vCPU blocked with nothing the spec gives as a reason, which is a violation, not a finding.
     */
    @Test
    void aRequestItsOwnBoundEmulatorNeverAnswersIsABlockedVcpu() {
        try (Testbed s = harness.testbed(5, new RandomWalk(), XenOptions.SEED)) {
            DomainHandle d = s.createDomain(1);
            EmulatorProbe qemu = s.emulator(d);
            Pending<Outcome> read = serverAndRead(s, d, qemu, new int[1]);
            s.runUntilQuiescent();
            s.checkLiveness();
            assertFalse(read.isDone());
            assertTrue(s.violations().stream().anyMatch(v -> v.rule().equals("liveness.vcpu-blocked")),
                    s.violations().toString());
        }
    }

    @Test
    void anAnsweredRequestCompletesWithTheProbesData() {
        try (Testbed s = harness.testbed(3, new Pct(3, true), XenOptions.SEED)) {
            DomainHandle d = s.createDomain(1);
            EmulatorProbe qemu = s.emulator(d);
            Pending<Outcome> read = serverAndRead(s, d, qemu, new int[1]);
            assertTrue(s.runUntil(() -> qemu.pendingRequests().contains(0)));
            assertTrue(qemu.take(0).get().isOk());
            assertTrue(qemu.respond(0, 0x5A).get().isOk());
            Outcome o = read.get();
            assertEquals(Outcome.Kind.DONE, o.kind());
            assertEquals(0x5A, o.value());
            s.runUntilQuiescent();
            s.checkLiveness();
            s.assertNoViolations();
        }
    }

    @Test
    void theSameScenarioAndSeedGiveTheSameDigest() {
        String[] digests = new String[2];
        for (int i = 0; i < 2; i++) {
            try (Testbed s = harness.testbed(11, new Pct(3, false), XenOptions.SEED)) {
                DomainHandle d = s.createDomain(2);
                EmulatorProbe qemu = s.emulator(d);
                serverAndRead(s, d, qemu, new int[1]);
                d.run(1, GuestOp.Io.pioWrite(0x1001, 1, 7));
                s.runUntilQuiescent();
                digests[i] = s.digest() + "/" + s.steps();
            }
        }
        assertEquals(digests[0], digests[1]);
    }

    @Test
    void aSwappedInRoutingTableRunsUnderTheSameMonitors() {
        ServerSelector alwaysServerZero = (x, p, cf8) -> x.server(0) != null
                ? new ServerSelector.Selection(0, -1) : ServerSelector.Selection.NONE;
        StressConfig cfg = StressConfig.defaults();
        boolean caught = false;
        for (long seed = 1; seed <= 30 && !caught; seed++) {
            ScheduleResult r = harness.runSeed(cfg, seed, alwaysServerZero);
            caught = r.violations().stream().anyMatch(v -> v.rule().startsWith("routing."));
        }
        assertTrue(caught, "a routing table that sends everything to server 0 breaks spec section 6");
    }
}
