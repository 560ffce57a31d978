package org.ioreqsim.ioreq.server;

import static org.ioreqsim.ioreq.server.IoreqServerTest.GUEST;
import static org.ioreqsim.ioreq.server.IoreqServerTest.SERVER_ID;
import static org.ioreqsim.ioreq.server.IoreqServerTest.UART;
import static org.ioreqsim.ioreq.server.IoreqServerTest.pioRead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An emulator with manual handling, as the stress client lanes and scripts drive it (spec 7.2 steps 3-6,
 * spec 15): Take moves a READY slot to INPROCESS and refuses any other state; Respond writes the data and
 * IORESP_READY and sends on the vCPU's port; SetVpEport is the misbehaviour of writing a slot's
 * vp_eport (spec 7.4, which only Xen writes); BindVcpu binds the port of a vCPU added after start-up
 * (what QEMU does for a hot-plugged vCPU). Added after mutation run E2 (docs/testing.md): only the stress
 * campaign used these commands. Uses {@link IoreqServerTest.Guest} as Xen.
 */
class IoreqServerManualTest {
    /** Its own kit: {@code IoreqServerTest} shuts its kit down when it ends, whichever class runs first. */
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    static <T> T ask(ActorRef<IoreqServer.Command> qemu, java.util.function.Function<ActorRef<T>, IoreqServer.Command> m) {
        TestProbe<T> p = kit.createTestProbe();
        qemu.tell(m.apply(p.ref()));
        return p.receiveMessage();
    }

    static ActorRef<IoreqServer.Command> manual(IoreqServerTest.Guest g) {
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu().withHandling(EmulatorConfig.Handling.MANUAL));
        g.start(qemu);
        return qemu;
    }

    @Test
    void takeRefusesASlotThatIsNotReadyThenTakesAndRespondAnswers() {
        IoreqServerTest.Guest g = new IoreqServerTest.Guest(kit);
        ActorRef<IoreqServer.Command> qemu = manual(g);
        Result<Ioreq> early = ask(qemu, r -> new IoreqServer.Take(1, r));
        assertEquals(Errno.EINVAL, early.errnoOrNull(), "nothing to take: the slot is NONE");
        assertEquals(IoreqState.NONE, g.slots.state(1));

        g.sendSynchronous(1, pioRead(UART + 5));
        EmulatorEvent.RequestPending pending = assertInstanceOf(EmulatorEvent.RequestPending.class,
                g.events.receiveMessage());
        assertEquals(1, pending.vcpu());
        Result<Ioreq> taken = ask(qemu, r -> new IoreqServer.Take(1, r));
        assertEquals(UART + 5, taken.value().addr());
        assertEquals(IoreqState.INPROCESS, g.slots.state(1));
        assertEquals(Errno.EINVAL, ask(qemu, (ActorRef<Result<Ioreq>> r) -> new IoreqServer.Take(1, r))
                .errnoOrNull(), "taken already");

        Result<Ioreq> answered = ask(qemu, r -> new IoreqServer.Respond(1, 0x42, r));
        assertEquals(IoreqState.IORESP_READY, answered.value().state());
        assertEquals(0x42L, g.slots.data(1));
        assertEquals("vcpu1", g.woken.receiveMessage(), "spec 7.2 step 6: sent on the vCPU's port");
        assertEquals(1, g.stats(qemu).requests());
    }

    @Test
    void setVpEportWritesTheSlotsPort() {
        IoreqServerTest.Guest g = new IoreqServerTest.Guest(kit);
        ActorRef<IoreqServer.Command> qemu = manual(g);
        Result<Ioreq> r = ask(qemu, p -> new IoreqServer.SetVpEport(0, 777, p));
        assertEquals(777L, r.value().vpEport());
        assertEquals(777L, g.slots.vpEport(0));
        assertEquals(g.vcpuPorts[1], g.slots.vpEport(1), "the other slot keeps Xen's port");
    }

    @Test
    void bindVcpuBindsAHotPluggedVcpusPortAndRefusesASlotWithoutOne() {
        IoreqServerTest.Guest g = new IoreqServerTest.Guest(kit);
        ActorRef<IoreqServer.Command> qemu = manual(g);
        // vCPU 2 is added after the start: Xen allocates its port and writes it into the slot (spec 12)
        int xenPort = g.target.allocUnboundXen(2, IoreqServerTest.DOM0,
                p -> new EventChannelConsumer<>(g.woken.ref(), "vcpu2")).value();
        g.slots.setVpEport(2, xenPort);
        Result<Integer> bound = ask(qemu, r -> new IoreqServer.BindVcpu(2, r));
        assertTrue(bound.isOk(), bound.describe());
        assertEquals(Errno.EINVAL, ask(qemu, (ActorRef<Result<Integer>> r) -> new IoreqServer.BindVcpu(3, r))
                .errnoOrNull(), "vCPU 3's slot has no port (vp_eport 0)");

        g.slots.store(2, pioRead(UART + 5).withPortAndState(xenPort, IoreqState.NONE)); // Xen's send, spec 7.1
        g.slots.setState(2, IoreqState.READY);
        g.target.notifyViaXen(xenPort);
        assertEquals(2, assertInstanceOf(EmulatorEvent.RequestPending.class, g.events.receiveMessage()).vcpu(),
                "the upcall on the new port is vCPU 2's");
        ask(qemu, (ActorRef<Result<Ioreq>> r) -> new IoreqServer.Take(2, r));
        ask(qemu, (ActorRef<Result<Ioreq>> r) -> new IoreqServer.Respond(2, 7, r));
        assertEquals("vcpu2", g.woken.receiveMessage(), "answered on the port bound for vCPU 2");
        assertEquals(GUEST, g.stats(qemu).targetDomid());
        assertEquals(SERVER_ID, g.stats(qemu).serverId());
    }
}
