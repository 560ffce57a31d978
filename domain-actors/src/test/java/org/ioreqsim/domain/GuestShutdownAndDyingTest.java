package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.VcpuState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A guest's own shutdown ({@code do_sched_op(SCHEDOP_shutdown)} -> {@code domain_shutdown}), a domain
 * that is dying but not yet released ({@code domain_kill} preempted in relinquish; spec 12, H3), and
 * RAX after port reads ({@code handle_pio}).
 */
class GuestShutdownAndDyingTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    @Test
    void aPoweroffWaitsForTheVcpuWithIoInFlightAndACrashDoesNot() {
        for (int reason : new int[] {0, 3}) {
            XenFixture xen = new XenFixture(kit);
            int d = xen.guest(2);
            XenFixture.EmulatorProbe e = xen.emulator(0, d, 2, 0);
            assertTrue(e.map(RangeType.PORT.code(), 0x3F8, 0x3FF).isOk());
            TestProbe<Outcome> waiting = xen.start(d, 1, GuestOp.Io.pioRead(0x3F8, 1));
            e.awaitRequest(1);
            assertEquals(Outcome.Kind.DONE, xen.run(d, 0, new GuestOp.SchedOpShutdown(reason)).kind());
            if (reason == DomainRunState.SHUTDOWN_CRASH) {
                assertEquals(Outcome.Kind.DOMAIN_CRASHED, waiting.receiveMessage().kind(),
                        "SHUTDOWN_crash clears every vCPU's deferral (domain_shutdown)");
                assertEquals(DomainState.CRASHED, xen.inspect(d).state());
                continue;
            }
            assertEquals(DomainState.SHUTTING_DOWN, xen.inspect(d).state(), "vCPU 1 defers it");
            assertEquals(VcpuState.SHUTDOWN, xen.vcpu(d, 0).state());
            e.respond(1, 7);
            assertEquals(7L, waiting.receiveMessage().value());
            assertEquals(DomainState.SHUTDOWN, xen.inspect(d).state());
        }
    }

    @Test
    void aDomainDyingInRelinquishKeepsItsServersAndRefusesNewOnes() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        XenFixture.EmulatorProbe e = xen.emulator(0, d, 1, 0);
        TestProbe<Done> done = kit.createTestProbe();
        xen.domain(d).tell(new Domain.KillPreempted(done.ref()));
        done.receiveMessage();
        DomainSnapshot s = xen.inspect(d);
        assertEquals(DomainState.DYING, s.state());
        assertEquals(1, s.servers().size(), "hvm_domain_relinquish_resources has not run yet");
        assertEquals(EventChannel.State.UNBOUND, xen.host.port(0, e.ports().get(0)).state(), "evtchn_destroy ran");
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, new DmOp.CreateIoreqServer(0)).errnoOrNull(),
                "get_free_port in a dying domain");
        assertTrue(e.map(RangeType.PORT.code(), 0x60, 0x60).isOk(), "the server still takes ranges");
        assertEquals(Errno.EEXIST, xen.create(DomainConfig.guest("again", 1,
                org.ioreqsim.ioreq.XenOptions.SEED), d).domid().errnoOrNull(), "the domid is still taken");
        assertTrue(xen.destroyDomain(d).isOk(), "the toolstack's destroy finishes the kill");
        assertEquals(Errno.ESRCH, xen.dmOp(0, d, new DmOp.DestroyIoreqServer(e.id())).errnoOrNull());
    }

    @Test
    void portReadsLandInRaxAsHandlePioMergesThem() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        XenFixture.EmulatorProbe e = xen.emulator(0, d, 1, 0);
        assertTrue(e.map(RangeType.PORT.code(), 0x3F8, 0x3FF).isOk());
        long[][] steps = {{4, 0x12345678L, 0x12345678L}, {1, 0xFFAB, 0x123456ABL}, {2, 0xBEEF, 0x1234BEEFL}};
        for (long[] st : steps) {
            TestProbe<Outcome> out = xen.start(d, 0, GuestOp.Io.pioRead(0x3F8, (int) st[0]));
            e.awaitRequest(0);
            e.respond(0, st[1]);
            out.receiveMessage();
            assertEquals(st[2], xen.vcpu(d, 0).rax(), "after a " + st[0] + "-byte IN");
        }
    }

    /**
     * {@code domain_crash} on a domain that is shutting down (a vCPU with I/O in flight defers the
     * poweroff, {@code vcpu_start_shutdown_deferral}) still crashes it: here the emulator writes an
     * illegal slot state and the waiting vCPU's completion crashes the domain (spec 7.3, XSA-262, H8).
     * Added after mutation run E1 (docs/testing.md): {@code DomainRunState.crash} ignoring a domain in
     * SHUTTING_DOWN went unnoticed.
     */
    @Test
    void aCrashWhileShuttingDownCrashesTheDomain() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(2);
        XenFixture.EmulatorProbe e = xen.emulator(0, d, 2, 0);
        assertTrue(e.map(RangeType.PORT.code(), 0x3F8, 0x3FF).isOk());
        TestProbe<Outcome> waiting = xen.start(d, 1, GuestOp.Io.pioRead(0x3F8, 1));
        e.awaitRequest(1);
        assertEquals(Outcome.Kind.DONE, xen.run(d, 0, new GuestOp.SchedOpShutdown(0)).kind());
        assertEquals(DomainState.SHUTTING_DOWN, xen.inspect(d).state(), "vCPU 1 defers the poweroff");
        e.page().setState(1, 9);
        assertTrue(xen.host.send(0, e.localPorts().get(1)).isOk());
        assertEquals(Outcome.Kind.DOMAIN_CRASHED, waiting.receiveMessage().kind());
        DomainSnapshot snap = xen.inspect(d);
        assertEquals(DomainState.CRASHED, snap.state());
        assertEquals("Weird HVM iorequest state 9", snap.crashReason());
    }
}
