package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.VcpuState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Domain destruction, vCPU hotplug and pause (spec 12, 17). */
class LifecycleTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    @Test
    void domainDeathDestroysEveryServerClosesEveryPortAndAbandonsInFlightIo() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(2);
        XenFixture.EmulatorProbe e = xen.emulator(0, d, 2, 2);
        assertTrue(e.map(0, 0x3F8, 0x3FF).isOk());
        xen.createServer(d, 0);
        TestProbe<Outcome> out = xen.start(d, 1, GuestOp.Io.pioRead(0x3F8, 1));
        e.awaitRequest(1);
        assertTrue(xen.destroyDomain(d).isOk());
        assertEquals(Outcome.Kind.ABANDONED, out.receiveMessage().kind());
        for (int local : e.ports()) {
            EventChannel c = xen.host.port(0, local);
            assertEquals(EventChannel.State.UNBOUND, c.state(), "the emulator's ends are UNBOUND");
            assertEquals(d, c.remoteDomid());
        }
        assertEquals(Errno.ESRCH, xen.dmOp(0, d, new DmOp.DestroyIoreqServer(0)).errnoOrNull(), "gone");
        assertEquals(Errno.ESRCH, xen.destroyDomain(d).errnoOrNull());
    }

    @Test
    void aDyingDomainAnswersDmOpsAsXenDoesUntilItIsReaped() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        int id = xen.createServer(d, 0);
        TestProbe<Domain.Killed> killed = kit.createTestProbe();
        xen.domain(d).tell(new Domain.Kill(killed.ref()));
        killed.receiveMessage();
        assertEquals(Errno.ENOENT, xen.dmOp(0, d, new DmOp.DestroyIoreqServer(id)).errnoOrNull(),
                "servers are gone, the domain is not");
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, new DmOp.CreateIoreqServer(0)).errnoOrNull(),
                "no ports in a dying domain that has a vCPU");
        assertEquals(DomainState.DEAD, xen.inspect(d).state());
    }

    /**
     * Spec 12: create on a dying domain fails for want of ports only where there is a vCPU to allocate one
     * for; a dying domain whose vCPUs were all removed takes the server (after hvm_destroy_all_ioreq_servers
     * has run, so it stays until destroyed by hand, as a stress campaign found, seed 4881).
     */
    @Test
    void aDyingDomainWithNoVcpuLeftTakesAServerThatIsThenDestroyedByHand() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        TestProbe<Result<Integer>> removed = kit.createTestProbe();
        xen.domain(d).tell(new Domain.RemoveVcpu(0, removed.ref()));
        assertTrue(removed.receiveMessage().isOk());
        TestProbe<Domain.Killed> killed = kit.createTestProbe();
        xen.domain(d).tell(new Domain.Kill(killed.ref()));
        killed.receiveMessage();
        Result<HypercallOutput> created = xen.dmOp(0, d, new DmOp.CreateIoreqServer(0));
        assertTrue(created.isOk(), "no vCPU, so no port to refuse: " + created.describe());
        int id = ((HypercallOutput.IoreqServerId) created.value()).id();
        assertEquals(1, xen.inspect(d).servers().size());
        assertTrue(xen.dmOp(0, d, new DmOp.DestroyIoreqServer(id)).isOk());
        assertEquals(0, xen.inspect(d).servers().size());
    }

    /**
     * Spec 10.1: an id past the last slot ({@code id >= MAX_NR_IOREQ_SERVERS}) is ENOENT for every op,
     * as is a free slot below it; the dm_op lookup must not index past the table.
     */
    @Test
    void anIdPastTheLastSlotIsEnoentNotACrash() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        xen.createServer(d, 0);
        int past = org.ioreqsim.ioreq.Xen.MAX_NR_IOREQ_SERVERS;
        assertEquals(Errno.ENOENT, xen.dmOp(0, d, new DmOp.DestroyIoreqServer(past)).errnoOrNull());
        assertEquals(Errno.ENOENT, xen.dmOp(0, d, new DmOp.SetIoreqServerState(past, 1, 0)).errnoOrNull());
        assertEquals(Errno.ENOENT, xen.dmOp(0, d, new DmOp.DestroyIoreqServer(past - 1)).errnoOrNull(),
                "a free slot");
        assertTrue(xen.dmOp(0, d, new DmOp.DestroyIoreqServer(0)).isOk(), "the domain still answers");
    }

    @Test
    void aVcpuAddedWhileServersExistGetsAnEntryAndPortOnEachAndCanBeServed() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        XenFixture.EmulatorProbe e = xen.emulator(0, d, 1, 0);
        assertTrue(e.map(0, 0x3F8, 0x3FF).isOk());
        int other = xen.createServer(d, 0);
        TestProbe<Result<Integer>> added = kit.createTestProbe();
        xen.domain(d).tell(new Domain.AddVcpu(added.ref()));
        assertEquals(1, added.receiveMessage().value());
        assertEquals(Map.of(0, 2, 1, 3), xen.server(d, other).vcpuPorts(),
                "servers are visited 7 down to 0: server 1 takes the lowest free port first");
        assertEquals(Map.of(0, 1, 1, 4), xen.server(d, e.id()).vcpuPorts());
        assertEquals(4, e.page().vpEport(1), "enabled server: vp_eport written at once");
        XenFixture.EmulatorProbe both = e.bindVcpu(1);
        TestProbe<Outcome> out = xen.start(d, 1, GuestOp.Io.pioRead(0x3FB, 1));
        both.awaitRequest(1);
        both.respond(1, 9);
        assertEquals(9L, out.receiveMessage().value());
        xen.domain(d).tell(new Domain.RemoveVcpu(1, added.ref()));
        assertEquals(1, added.receiveMessage().value());
        assertEquals(Map.of(0, 1), xen.server(d, e.id()).vcpuPorts());
        assertEquals(EventChannel.State.FREE, xen.host.port(d, 4).state());
        assertEquals(EventChannel.State.FREE, xen.host.port(d, 3).state());
        assertEquals(VcpuState.OFFLINE, xen.vcpu(d, 1).state());
    }

    @Test
    void aFailedVcpuAddLeaksEntriesOnHigherServersAtTheSeedButNotWithTheFix() {
        for (boolean fixed : List.of(false, true)) {
            XenOptions o = XenOptions.SEED.with("fixAddVcpuCleanup", fixed);
            XenFixture xen = new XenFixture(kit, o);
            int d = xen.guest(DomainConfig.guest("g", 1, o).withMaxEvtchnPort(3));
            int low = xen.createServer(d, 0);
            int high = xen.createServer(d, 0);
            assertEquals(3, xen.server(d, high).vcpuPorts().size() + xen.server(d, low).vcpuPorts().size() + 1);
            TestProbe<Result<Integer>> added = kit.createTestProbe();
            xen.domain(d).tell(new Domain.AddVcpu(added.ref()));
            assertEquals(Errno.ENOSPC, added.receiveMessage().errnoOrNull(), "server 0 finds no free port");
            assertEquals(fixed ? 1 : 2, xen.server(d, high).vcpuPorts().size(),
                    fixed ? "215f2576b0 undoes server 1" : "the seed walks down from 0 and leaks server 1's entry");
            assertEquals(fixed ? EventChannel.State.FREE : EventChannel.State.UNBOUND, xen.host.port(d, 3).state());
        }
    }

    @Test
    void aPausedDomainRunsNoGuestCodeUntilUnpaused() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        TestUnpause.pause(xen, d);
        assertEquals(VcpuState.PAUSED, xen.vcpu(d, 0).state());
        TestProbe<Outcome> out = xen.start(d, 0, GuestOp.Io.pioRead(0x2F8, 1));
        out.expectNoMessage(Duration.ofMillis(200));
        TestUnpause.unpause(xen, d);
        assertEquals(Route.NULL_HANDLER, out.receiveMessage().route());
        TestProbe<Result<Long>> r = kit.createTestProbe();
        xen.domain(d).tell(new Domain.Unpause(r.ref()));
        assertEquals(Errno.EINVAL, r.receiveMessage().errnoOrNull(), "no toolstack pause to drop");
    }

    /**
     * Spec 10.2 step 4 and 17: a domain created paused has vCPUs that never ran, so a pausing dm_op is in
     * effect at once; they report paused, and once started they keep their work until the toolstack
     * unpauses.
     */
    @Test
    void aDomainCreatedPausedHoldsItsVcpusFromTheirStartUntilTheToolstackUnpauses() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(DomainConfig.guest("g", 2, XenOptions.SEED).withCreatePaused(true));
        assertEquals(VcpuState.PAUSED, xen.vcpu(d, 1).state(), "down, held by the domain's pause");
        xen.createServer(d, 0);
        xen.domain(d).tell(Domain.StartVcpus.INSTANCE);
        TestProbe<Outcome> out = xen.start(d, 1, GuestOp.Io.pioRead(0x2F8, 1));
        out.expectNoMessage(Duration.ofMillis(200));
        assertEquals(VcpuState.PAUSED, xen.vcpu(d, 1).state(), "started, told the pause first");
        TestUnpause.unpause(xen, d);
        assertEquals(Route.NULL_HANDLER, out.receiveMessage().route());
        assertEquals(VcpuState.RUNNING, xen.vcpu(d, 0).state());
    }
}
