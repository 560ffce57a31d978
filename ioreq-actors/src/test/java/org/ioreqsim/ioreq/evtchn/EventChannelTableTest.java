package org.ioreqsim.ioreq.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import org.ioreqsim.ioreq.Errno;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Event channels as spec section 4 models them: allocation, binding, notify, coalescing, close. */
class EventChannelTableTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static final Duration QUIET = Duration.ofMillis(100);

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    /** A target (domid 1) with one Xen-attached port for emulator domid 0, bound by the emulator. */
    record Pair(EventChannelTable target, EventChannelTable emulator, int xenPort, int localPort,
                TestProbe<Integer> upcalls, TestProbe<String> wakes) {
    }

    static Pair bound() {
        EventChannelTable target = new EventChannelTable(1, 1023);
        EventChannelTable emulator = new EventChannelTable(0, 1023);
        TestProbe<String> wakes = kit.createTestProbe();
        TestProbe<Integer> upcalls = kit.createTestProbe();
        int xenPort = target.allocUnboundXen(0, 0, p -> new EventChannelConsumer<>(wakes.ref(), "wake " + p)).value();
        int local = EventChannelTable.bindInterdomain(emulator, target, xenPort,
                p -> new EventChannelConsumer<>(upcalls.ref(), p)).value();
        return new Pair(target, emulator, xenPort, local, upcalls, wakes);
    }

    @Test
    void portsAreAllocatedLowestFirstAfterTheReservedPortZero() {
        EventChannelTable t = new EventChannelTable(1, 3);
        TestProbe<String> p = kit.createTestProbe();
        assertEquals(1, t.allocUnboundXen(0, 0, x -> new EventChannelConsumer<>(p.ref(), "")).value());
        assertEquals(2, t.allocUnboundXen(0, 0, x -> new EventChannelConsumer<>(p.ref(), "")).value());
        assertEquals(3, t.allocUnboundXen(0, 0, x -> new EventChannelConsumer<>(p.ref(), "")).value());
        assertEquals(Errno.ENOSPC, t.allocUnboundXen(0, 0, x -> new EventChannelConsumer<>(p.ref(), "")).errnoOrNull());
        assertTrue(t.close(2, false).isOk());
        assertEquals(2, t.allocUnboundXen(0, 0, x -> new EventChannelConsumer<>(p.ref(), "")).value());
        t.setDying();
        assertEquals(Errno.EINVAL, t.allocUnboundXen(0, 0, x -> new EventChannelConsumer<>(p.ref(), "")).errnoOrNull());
    }

    @Test
    void bindingChecksTheRemotePortAndMarksTheLocalPortPendingOnce() {
        Pair b = bound();
        assertEquals(b.localPort(), b.upcalls().receiveMessage(), "one (possibly spurious) event right after binding");
        assertEquals(EventChannel.State.INTERDOMAIN, b.target().port(b.xenPort()).state());
        assertEquals(b.localPort(), b.target().port(b.xenPort()).remotePort());
        assertEquals(Errno.EINVAL, EventChannelTable.bindInterdomain(b.emulator(), b.target(), b.xenPort(),
                p -> null).errnoOrNull(), "already bound");
        EventChannelTable stranger = new EventChannelTable(5, 1023);
        TestProbe<String> w = kit.createTestProbe();
        int other = b.target().allocUnboundXen(0, 0, p -> new EventChannelConsumer<>(w.ref(), "")).value();
        assertEquals(Errno.EINVAL, EventChannelTable.bindInterdomain(stranger, b.target(), other, p -> null)
                .errnoOrNull(), "waiting for domain 0, not 5");
        assertEquals(Errno.EINVAL, EventChannelTable.bindInterdomain(b.emulator(), b.target(), 999, p -> null)
                .errnoOrNull());
    }

    @Test
    void notificationsBeforeTheHandlerRunsCoalesceIntoOneUpcall() {
        Pair b = bound();
        int port = b.upcalls().receiveMessage();
        b.emulator().consume(port);
        b.emulator().unmask(port);
        b.target().notifyViaXen(b.xenPort());
        b.target().notifyViaXen(b.xenPort());
        b.target().notifyViaXen(b.xenPort());
        assertEquals(b.localPort(), b.upcalls().receiveMessage());
        b.upcalls().expectNoMessage(QUIET);
        EventChannel local = b.emulator().port(b.localPort());
        assertEquals(4, local.notified(), "the bind's pending plus three notifications");
        assertEquals(2, local.coalesced());
        assertEquals(2, local.upcalls());
        b.emulator().consume(b.localPort());
        b.emulator().unmask(b.localPort());
        b.target().notifyViaXen(b.xenPort());
        assertEquals(b.localPort(), b.upcalls().receiveMessage(), "after consuming, the next one raises again");
    }

    @Test
    void aClosedPortKeepsItsCountsUntilItIsAllocatedAgain() {
        Pair b = bound();
        b.upcalls().receiveMessage();
        assertTrue(b.emulator().close(b.localPort(), true).isOk());
        EventChannel closed = b.emulator().port(b.localPort());
        assertEquals(1, closed.notified(), "still readable after the close");
        assertEquals(1, closed.upcalls());
        int again = EventChannelTable.bindInterdomain(b.emulator(), b.target(), b.xenPort(),
                p -> new EventChannelConsumer<>(b.upcalls().ref(), p)).value();
        assertEquals(b.localPort(), again, "the lowest free port: the one just closed");
        assertEquals(again, b.upcalls().receiveMessage());
        assertEquals(1, closed.notified(), "counted afresh: only the new bind's pending");
        assertEquals(1, closed.upcalls());
        assertEquals(0, closed.coalesced());
    }

    @Test
    void aMaskedPendingPortRaisesItsUpcallWhenUnmasked() {
        Pair b = bound();
        b.upcalls().receiveMessage();
        b.emulator().consume(b.localPort());
        assertTrue(b.emulator().port(b.localPort()).isMasked(), "delivery masked the port (Linux evtchn)");
        b.target().notifyViaXen(b.xenPort());
        b.upcalls().expectNoMessage(QUIET);
        assertTrue(b.emulator().port(b.localPort()).isPending());
        b.emulator().unmask(b.localPort());
        assertEquals(b.localPort(), b.upcalls().receiveMessage());
    }

    @Test
    void theEmulatorsSendRunsXensDefaultActionAndRemembersNothing() {
        Pair b = bound();
        assertTrue(b.emulator().send(b.localPort()).isOk());
        assertEquals("wake " + b.xenPort(), b.wakes().receiveMessage());
        assertFalse(b.target().port(b.xenPort()).isPending(), "a Xen consumer keeps no pending bit");
    }

    @Test
    void closingOneEndLeavesThePeerUnboundAndLaterTrafficIsDropped() {
        Pair b = bound();
        b.upcalls().receiveMessage();
        assertEquals(Errno.EINVAL, b.target().close(b.xenPort(), true).errnoOrNull(), "the guest cannot close it");
        assertTrue(b.target().close(b.xenPort(), false).isOk());
        EventChannel local = b.emulator().port(b.localPort());
        assertEquals(EventChannel.State.UNBOUND, local.state());
        assertEquals(1, local.remoteDomid(), "waiting for the closer again");
        assertEquals(0, b.emulator().send(b.localPort()).value(), "send on UNBOUND: dropped, returns 0");
        b.wakes().expectNoMessage(QUIET);
        assertEquals(Errno.EINVAL, b.target().send(b.xenPort()).errnoOrNull(), "send on a FREE port");
    }

    @Test
    void xenNotifyingAStillUnboundPortIsDropped() {
        EventChannelTable t = new EventChannelTable(1, 1023);
        TestProbe<String> w = kit.createTestProbe();
        int p = t.allocUnboundXen(0, 0, x -> new EventChannelConsumer<>(w.ref(), "")).value();
        t.notifyViaXen(p);
        assertEquals(1, t.port(p).dropped());
        w.expectNoMessage(QUIET);
    }

    /** evtchn_send: "Guest cannot send via a Xen-attached event channel" (-EINVAL); its emulator's end may send. */
    @Test
    void theGuestCannotSendOnAXenAttachedPort() {
        Pair b = bound();
        b.upcalls().receiveMessage();
        assertEquals(Errno.EINVAL, b.target().send(b.xenPort()).errnoOrNull());
        b.upcalls().expectNoMessage(QUIET);
        b.wakes().expectNoMessage(QUIET);
        assertTrue(b.emulator().send(b.localPort()).isOk());
        assertEquals("wake " + b.xenPort(), b.wakes().receiveMessage());
    }

    /**
     * A failed evtchn_bind_interdomain leaves the port get_free_port found free, and the next allocation
     * finds it again (get_free_port scans from the lowest port).
     */
    @Test
    void aFailedBindLeavesTheLowestFreePortForTheNextAllocation() {
        Pair b = bound();
        EventChannelTable third = new EventChannelTable(2, 1023);
        TestProbe<Integer> p = kit.createTestProbe();
        assertEquals(Errno.EINVAL, EventChannelTable.bindInterdomain(third, b.target(), b.xenPort(),
                x -> new EventChannelConsumer<>(p.ref(), x)).errnoOrNull());
        assertEquals(EventChannel.State.FREE, third.port(1).state());
        assertEquals(1, third.allocUnboundXen(0, 0, x -> new EventChannelConsumer<>(p.ref(), x)).value());
    }

    /**
     * A delivery hook sees every delivery of the table's ports whether it was set before or after the
     * ports were bound (a port keeps the fact in its own flags); removing it delivers directly again.
     */
    @Test
    void aDeliveryHookSeesDeliveriesOfPortsBoundBeforeItWasSet() {
        Pair b = bound();
        assertEquals(b.localPort(), b.upcalls().receiveMessage(), "the bind's own event, delivered directly");
        java.util.List<Integer> hooked = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.emulator().setDeliveryHook((port, consumer) -> hooked.add(port.port()));
        b.emulator().consume(b.localPort());
        b.emulator().unmask(b.localPort());
        b.target().notifyViaXen(b.xenPort());
        assertEquals(java.util.List.of(b.localPort()), hooked, "the hook took the event");
        b.upcalls().expectNoMessage(QUIET);
        b.emulator().setDeliveryHook(null);
        b.emulator().consume(b.localPort());
        b.emulator().unmask(b.localPort());
        b.target().notifyViaXen(b.xenPort());
        assertEquals(b.localPort(), b.upcalls().receiveMessage(), "without the hook the consumer gets it");
        assertEquals(1, hooked.size());
    }
}
