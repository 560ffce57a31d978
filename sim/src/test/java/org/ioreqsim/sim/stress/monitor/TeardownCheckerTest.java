package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelEvent.ServerTeardown;
import org.ioreqsim.sim.stress.RandomWalk;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.testkit.ControlledHarness;
import org.ioreqsim.sim.testkit.DomainHandle;
import org.ioreqsim.sim.testkit.EmulatorProbe;
import org.ioreqsim.sim.testkit.Testbed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link TeardownChecker}: disable, then deinit, then the slot, on destroy (10.9) and domain_kill (12). */
class TeardownCheckerTest {
    private static ControlledHarness harness;

    @BeforeAll
    static void start() {
        harness = ControlledHarness.create();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static Fixture events() {
        Fixture f = Fixture.events();
        f.add(new TeardownChecker(f.ctx));
        f.step(0, "xen/domain-1", null);
        return f;
    }

    private static ModelEvent stage(int id, String stage) {
        return new ServerTeardown(1, id, stage);
    }

    @Test
    void disableThenDeinitThenTheSlotIsQuiet() {
        Fixture f = events();
        f.event(stage(0, ServerTeardown.DISABLED)).event(new ModelEvent.PortFreed(1, 0, 0, 3))
                .event(stage(0, ServerTeardown.DEINIT)).event(new ModelEvent.ServerDestroyed(1, 0, List.of()));
        f.event(stage(7, ServerTeardown.DISABLED)).event(stage(7, ServerTeardown.DEINIT))
                .event(new ModelEvent.ServerDestroyed(1, 7, List.of()));
        assertEquals(List.of(), f.rules());
    }

    @Test
    void deinitBeforeDisableIsOutOfOrder() {
        Fixture f = events();
        f.event(stage(2, ServerTeardown.DEINIT)).event(stage(2, ServerTeardown.DISABLED));
        assertEquals(List.of("teardown.order", "teardown.order"), f.rules(),
                "deinit with no disable before it, then a disable after the deinit");
    }

    @Test
    void aSlotEmptiedWithoutTeardownIsOutOfOrder() {
        Fixture f = events();
        f.event(new ModelEvent.ServerDestroyed(1, 3, List.of()));
        assertEquals(List.of("teardown.order"), f.rules());
    }

    /** Spec 12: hvm_destroy_all_ioreq_servers finishes one server before it starts the next. */
    @Test
    void serversAreTornDownOneAtATime() {
        Fixture f = events();
        f.event(stage(7, ServerTeardown.DISABLED)).event(stage(6, ServerTeardown.DISABLED));
        assertEquals(List.of("teardown.interleaved"), f.rules());
    }

    /** A gfn-mapped, enabled server: a disable stage that did not disable, nor give the gfn back, is caught. */
    @Test
    void theDisableStageReadsXensStateAtThatMoment() {
        try (Testbed s = harness.testbed(4, new RandomWalk(), XenOptions.SEED)) {
            DomainHandle dh = s.createDomain(1);
            EmulatorProbe q = s.emulator(dh);
            int id = gfnMappedServer(dh, q);
            assertTrue(q.setState(id, true).get().isOk());
            s.runUntilQuiescent();

            Fixture f = Fixture.direct();
            DomainShadow d = f.domain(dh.domid());
            d.x = dh.xen();
            d.table = d.x.eventChannels();
            f.add(new TeardownChecker(f.ctx));
            f.server(dh.domid(), id, Xen.DOM0);
            f.step(100, "xen/domain-" + dh.domid(), null);
            f.event(new ServerTeardown(dh.domid(), id, ServerTeardown.DISABLED));
            assertEquals(List.of("teardown.not-disabled", "teardown.gfn-not-returned", "teardown.gfn-not-returned"),
                    f.rules(), "still enabled, its two gfns still out of the physmap");
            s.assertNoViolations();
        }
    }

    /** The model's own destroy and domain_kill, under every monitor: disable, deinit, slot; 7 down to 0. */
    @Test
    void theModelsDestroyAndKillAreInOrder() {
        try (Testbed s = harness.testbed(5, new RandomWalk(), XenOptions.SEED)) {
            DomainHandle dh = s.createDomain(2);
            EmulatorProbe q = s.emulator(dh);
            int a = gfnMappedServer(dh, q);
            int b = q.createServer(BufioreqMode.ATOMIC).get().value();
            assertTrue(q.dmOp(new DmOp.GetIoreqServerInfo(b, 0)).get().isOk());
            int c = q.createServer(BufioreqMode.OFF).get().value();
            assertTrue(q.setState(a, true).get().isOk());
            assertTrue(q.setState(b, true).get().isOk());
            assertTrue(q.destroy(c).get().isOk());
            s.runUntilQuiescent();
            XenInspector x = dh.xen();
            long gfn = x.server(a).ioreqGfn();
            assertTrue(dh.destroy().get().isOk());
            s.runUntilQuiescent();
            assertEquals(DomainState.DEAD, x.state());
            assertTrue(x.isGuestRam(gfn), "the kill's disable gave the gfn back to the physmap");
            s.assertNoViolations();
        }
    }

    private static int gfnMappedServer(DomainHandle dh, EmulatorProbe q) {
        assertTrue(q.hypercall(new Hypercall.SetParam(dh.domid(), HvmParam.IOREQ_SERVER_PFN, 0xFEFF0)).get().isOk());
        assertTrue(q.hypercall(new Hypercall.SetParam(dh.domid(), HvmParam.NR_IOREQ_SERVER_PAGES, 8)).get().isOk());
        int id = q.createServer(BufioreqMode.ATOMIC).get().value();
        assertTrue(q.dmOp(new DmOp.GetIoreqServerInfo(id, 0)).get().isOk(), "maps both pages at gfns");
        return id;
    }
}
