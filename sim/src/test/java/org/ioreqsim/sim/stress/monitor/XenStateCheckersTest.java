package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.vcpu.VcpuRequest;
import org.ioreqsim.sim.stress.RandomWalk;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;
import org.ioreqsim.sim.testkit.ControlledHarness;
import org.ioreqsim.sim.testkit.DomainHandle;
import org.ioreqsim.sim.testkit.EmulatorProbe;
import org.ioreqsim.sim.testkit.Testbed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PortChecker} and {@link PageChecker} read Xen's own state: a real domain (built by the testkit)
 * supplies it, and each checker, on its own, judges it against shadows the test writes by hand.
 */
class XenStateCheckersTest {
    private static ControlledHarness harness;

    @BeforeAll
    static void start() {
        harness = ControlledHarness.create();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** A fixture reading {@code dh}'s Xen state, judging a step of that domain. */
    private static Fixture reading(DomainHandle dh) {
        Fixture f = Fixture.direct();
        DomainShadow d = f.domain(dh.domid());
        d.x = dh.xen();
        d.table = d.x.eventChannels();
        f.step(100, "xen/domain-" + dh.domid(), null);
        return f;
    }

    /** Spec 10.2 step 7 and 4: each vCPU's entry holds its own Xen-attached port, none left over. */
    @Test
    void portsOfALiveServerAreItsEntriesAndNoneLeaks() {
        try (Testbed s = harness.testbed(1, new RandomWalk(), XenOptions.SEED)) {
            DomainHandle dh = s.createDomain(2);
            EmulatorProbe q = s.emulator(dh);
            int id = q.createServer(BufioreqMode.OFF).get().value();
            s.runUntilQuiescent();

            Fixture f = reading(dh);
            PortChecker ports = f.add(new PortChecker(f.ctx));
            ServerShadow ss = f.server(dh.domid(), id, Xen.DOM0);
            ports.checkEntriesAndPorts(f.domain(dh.domid()));
            assertEquals(List.of(), f.rules());
            assertEquals(2, ss.ports.cardinality(), "one port per vCPU: " + ss.ports);

            Fixture blind = reading(dh);
            PortChecker unaware = blind.add(new PortChecker(blind.ctx));
            unaware.checkEntriesAndPorts(blind.domain(dh.domid()));
            assertEquals(List.of("ports.leak", "ports.leak"), blind.rules(),
                    "ports attached to Xen that no server entry the monitors know explains");
        }
    }

    /**
     * Spec 7.1: only Xen writes a slot's vp_eport (at enable). A write by the emulator, as a buggy one
     * makes, is the finding EMU and marks the slot, so that the refusal it causes is no violation.
     */
    @Test
    void aVpEportWrittenByTheEmulatorIsEmuNotAViolation() {
        try (Testbed s = harness.testbed(3, new RandomWalk(), XenOptions.SEED)) {
            DomainHandle dh = s.createDomain(1);
            EmulatorProbe q = s.emulator(dh);
            int id = q.createServer(BufioreqMode.OFF).get().value();
            q.acquirePages(id).get();
            q.setState(id, true).get();
            s.runUntilQuiescent();

            Fixture f = reading(dh);
            ProtocolChecker protocol = f.add(new ProtocolChecker(f.ctx));
            ServerShadow ss = f.server(dh.domid(), id, Xen.DOM0);
            IoreqPage page = dh.xen().server(id).ioreqPage();
            ss.page = page.page();
            ss.vpEport[0] = page.vpEport(0);
            protocol.checkSlots(f.domain(dh.domid()));
            assertEquals(List.of(), f.rules());
            assertEquals(Set.of(), f.findings());

            page.setVpEport(0, page.vpEport(0) + 5);
            f.step(101, "d1-c0/qemu-1", null);
            protocol.checkSlots(f.domain(dh.domid()));
            assertEquals(List.of(), f.rules());
            assertEquals(Set.of("EMU"), f.findings());
            assertTrue(ss.emulatorMisbehaved[0]);
        }
    }

    /** Spec 10.9: a destroyed server's ports are free again. */
    @Test
    void aDestroyedServerHasFreedItsPorts() {
        try (Testbed s = harness.testbed(2, new RandomWalk(), XenOptions.SEED)) {
            DomainHandle dh = s.createDomain(1);
            EmulatorProbe q = s.emulator(dh);
            int id = q.createServer(BufioreqMode.OFF).get().value();
            s.runUntilQuiescent();
            Fixture f = reading(dh);
            PortChecker ports = f.add(new PortChecker(f.ctx));
            ServerShadow ss = f.server(dh.domid(), id, Xen.DOM0);
            ports.checkEntriesAndPorts(f.domain(dh.domid()));
            ports.released(f.domain(dh.domid()), ss);
            assertEquals(List.of("ports.not-freed"), f.rules(), "the server is still there: its port is in use");

            assertTrue(q.destroy(id).get().isOk());
            s.runUntilQuiescent();
            Fixture g = reading(dh);
            g.add(new PortChecker(g.ctx)).released(g.domain(dh.domid()), ss);
            assertEquals(List.of(), g.rules());
        }
    }

    /** Spec 11.2: a gfn given up goes back to the pool (and, 11.3, to the guest physmap). */
    @Test
    void aGfnGivenUpIsFreeAgain() {
        try (Testbed s = harness.testbed(3, new RandomWalk(), XenOptions.SEED)) {
            DomainHandle dh = s.createDomain(1);
            EmulatorProbe q = s.emulator(dh);
            assertTrue(q.hypercall(new Hypercall.SetParam(dh.domid(), HvmParam.IOREQ_SERVER_PFN, 0xFEFF0)).get().isOk());
            assertTrue(q.hypercall(new Hypercall.SetParam(dh.domid(), HvmParam.NR_IOREQ_SERVER_PAGES, 8)).get().isOk());
            int id = q.createServer(BufioreqMode.OFF).get().value();
            assertTrue(q.dmOp(new DmOp.GetIoreqServerInfo(id, 0)).get().isOk(), "maps the ioreq page at a gfn");
            s.runUntilQuiescent();
            assertTrue(dh.xen().server(id).ioreqGfn() != Xen.INVALID_GFN);

            Fixture f = reading(dh);
            PageChecker pages = f.add(new PageChecker(f.ctx));
            DomainShadow d = f.domain(dh.domid());
            f.server(dh.domid(), id, Xen.DOM0);
            pages.checkGfns(d);
            assertEquals(List.of(), f.rules(), "a disabled server's gfn: held, not free, guest RAM");
            d.servers[id] = null;
            pages.checkGfns(d);
            assertEquals(List.of("gfn.not-freed"), f.rules(), "Xen still holds the gfn the monitors saw given up");

            Fixture g = reading(dh);
            PageChecker later = g.add(new PageChecker(g.ctx));
            DomainShadow e = g.domain(dh.domid());
            g.server(dh.domid(), id, Xen.DOM0);
            later.checkGfns(e);
            assertTrue(q.destroy(id).get().isOk());
            s.runUntilQuiescent();
            e.servers[id] = null;
            later.checkGfns(e);
            assertEquals(List.of(), g.rules(), "destroy returned the gfn to the pool and the physmap");
        }
    }

    /**
     * Spec 3.2 and 8.2: a buffered write published at pointer p lies in slot p mod 511, p unsigned. Near
     * 2^32 a signed remainder picks another slot; the ring checker computes the slot itself.
     */
    @Test
    void aBufferedWriteLiesInItsPointersSlotTakenUnsigned() {
        try (Testbed s = harness.testbed(3, new RandomWalk(), XenOptions.SEED)) {
            DomainHandle dh = s.createDomain(1);
            EmulatorProbe q = s.emulator(dh);
            int id = q.createServer(BufioreqMode.LEGACY).get().value();
            assertTrue(q.acquirePages(id).get().isOk());
            assertTrue(q.setState(id, true).get().isOk());
            s.runUntilQuiescent();
            BufferedIoreqPage ring = dh.xen().server(id).bufferedPage();
            ring.setPointers(-3, -3);

            Fixture f = reading(dh);
            RingChecker rings = f.add(new RingChecker(f.ctx));
            f.server(dh.domid(), id, Xen.DOM0);
            int right = (int) ((0x1_0000_0000L - 3) % Xen.IOREQ_BUFFER_SLOT_NUM);
            publish(f, rings, dh, id, ring, right, 0x1234, -2);
            assertEquals(List.of(), f.rules(), "slot " + right + " holds the write");

            int wrong = Math.floorMod(-2, Xen.IOREQ_BUFFER_SLOT_NUM);
            publish(f, rings, dh, id, ring, wrong, 0x1235, -1);
            assertEquals(List.of("ring.slot-index"), f.rules(), "the write went to slot " + wrong);
        }
    }

    /** A step of the domain in which Xen publishes a 2-byte VGA write of {@code data} into {@code slot}. */
    private static void publish(Fixture f, RingChecker rings, DomainHandle dh, int id, BufferedIoreqPage ring,
                                int slot, long data, int wpAfter) {
        Ioreq write = new Ioreq(0xA0000, data, 1, 2, 0, IoreqState.READY, false, IoDirection.WRITE, false,
                IoreqType.COPY);
        f.step(101, "xen/domain-" + dh.domid(), new VcpuRequest.EmulateIo(0, write));
        rings.beforeStep(f.domain(dh.domid()));
        ring.page().set(1 + slot, BufferedIoreqPage.encodeSlot(IoreqType.COPY.code(), 1, 1, 0xA0000, data));
        ring.setWritePointer(wpAfter);
        f.event(new ModelEvent.BufferedSent(dh.domid(), id, 1, ring.readPointer(), wpAfter));
    }
}
