package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Buffered requests (spec 8, 9, hazards H4, H5): which go buffered, the full-ring rules, broadcasts, losses. */
class BufferedIoreqTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static final Duration QUIET = Duration.ofMillis(150);

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    /** A guest with Xen's stdvga, and a hand-played emulator claiming the VGA window with a ring. */
    record Setup(XenFixture xen, int d, XenFixture.EmulatorProbe emu, BufferedIoreqPage ring) {
    }

    static Setup setUp(XenOptions o, int mode) {
        XenFixture xen = new XenFixture(kit, o);
        int d = xen.guest(DomainConfig.guest("vga", 1, o).withEmulatedVga(true));
        XenFixture.EmulatorProbe emu = xen.emulator(0, d, 1, mode);
        assertTrue(emu.map(1, 0xA0000, 0xBFFFF).isOk());
        BufferedIoreqPage ring = null;
        if (mode != 0) {
            var frames = (HypercallOutput.ResourceFrames) xen.acquire(0, d, emu.id(), 0, 1).value();
            ring = new BufferedIoreqPage(xen.host.mapFrame(frames.mfns().get(0)));
        }
        return new Setup(xen, d, emu, ring);
    }

    static Setup setUp() {
        return setUp(XenOptions.SEED, 2);
    }

    static GuestOp vgaWrite(long addr, int size, long value) {
        return GuestOp.Io.mmioWrite(addr, size, value);
    }

    /** {@link #setUp(XenOptions, int)} with fresh rings starting at {@code start} (the simulation knob). */
    static Setup startedAt(int mode, long start) {
        XenFixture xen = new XenFixture(kit, XenOptions.SEED);
        int d = xen.guest(DomainConfig.guest("vga", 1, XenOptions.SEED).withEmulatedVga(true)
                .withBufioreqRingStart(start));
        XenFixture.EmulatorProbe emu = xen.emulator(0, d, 1, mode);
        assertTrue(emu.map(1, 0xA0000, 0xBFFFF).isOk());
        var frames = (HypercallOutput.ResourceFrames) xen.acquire(0, d, emu.id(), 0, 1).value();
        return new Setup(xen, d, emu, new BufferedIoreqPage(xen.host.mapFrame(frames.mfns().get(0))));
    }

    /**
     * Spec 8.2 step 7: a ring started just below 2^32 (DomainConfig.bufioreqRingStart, a simulation knob:
     * Xen zeroes a new ring) wraps on the first publish, and ATOMIC mode canonicalises the pair by a
     * multiple of 511, unsigned: rp 0xFFFFFFFF becomes 0xFFFFFFFF mod 511 = 31 and wp 2^32 becomes 32.
     */
    @Test
    void aRingStartedNearTwoToTheThirtyTwoWrapsAndAtomicModeCanonicalisesIt() {
        Setup s = startedAt(2, 0xFFFF_FFFFL);
        assertEquals(-1, s.ring().readPointer());
        assertEquals(-1, s.ring().writePointer());
        assertTrue(s.xen().run(s.d(), 0, vgaWrite(0xA0010, 2, 0xBEEF)).buffered());
        assertEquals(31, s.ring().readPointer());
        assertEquals(32, s.ring().writePointer());
        assertEquals(1, BufferedIoreqPage.used(s.ring().pointers()));
        assertEquals(0xBEEF, BufferedIoreqPage.slotData(s.ring().slotAt(31)), "written at index 0xFFFFFFFF mod 511");
    }

    /** Spec 8.2 step 7: LEGACY mode never canonicalises: a ring started at 510 runs past 511. */
    @Test
    void aLegacyRingStartedNear511RunsPastIt() {
        Setup s = startedAt(1, 510);
        assertTrue(s.xen().run(s.d(), 0, vgaWrite(0xA0010, 8, 0x1_0000_0002L)).buffered());
        assertEquals(510, s.ring().readPointer());
        assertEquals(512, s.ring().writePointer());
        assertEquals(2, BufferedIoreqPage.slotData(s.ring().slotAt(510)));
        assertEquals(1, BufferedIoreqPage.slotData(s.ring().slotAt(511)), "the high half at index 0");
    }

    @Test
    void aSingleVgaWriteGoesIntoTheRingAndTheVcpuDoesNotWait() {
        Setup s = setUp();
        Outcome o = s.xen().run(s.d(), 0, vgaWrite(0xA0010, 2, 0xBEEF));
        assertTrue(o.buffered());
        assertEquals(Route.server(s.d(), 0), o.route());
        assertEquals(1, BufferedIoreqPage.used(s.ring().pointers()));
        long slot = s.ring().slotAt(0);
        assertEquals(IoreqType.COPY.code(), BufferedIoreqPage.slotType(slot));
        assertEquals(0, BufferedIoreqPage.slotDir(slot), "only writes are buffered");
        assertEquals(1, BufferedIoreqPage.slotSizeCode(slot), "size 2 is code 1");
        assertEquals(0xA0010, BufferedIoreqPage.slotAddr(slot));
        assertEquals(0xBEEF, BufferedIoreqPage.slotData(slot));
        assertEquals(IoreqState.NONE, s.emu().page().state(0), "no synchronous request");
    }

    @Test
    void anEightByteWriteTakesTwoSlotsLowHalfFirst() {
        Setup s = setUp();
        s.xen().run(s.d(), 0, vgaWrite(0xA0020, 8, 0x1122334455667788L));
        assertEquals(2, BufferedIoreqPage.used(s.ring().pointers()));
        assertEquals(0x55667788L, BufferedIoreqPage.slotData(s.ring().slotAt(0)));
        assertEquals(0x11223344L, BufferedIoreqPage.slotData(s.ring().slotAt(1)));
        assertEquals(3, BufferedIoreqPage.slotSizeCode(s.ring().slotAt(1)), "the second slot repeats the header");
    }

    @Test
    void theRingIsFullAt511SlotsAndAFullRingMakesTheWriteSynchronous() {
        Setup s = setUp();
        s.ring().setPointers(0, 510);
        assertTrue(s.xen().run(s.d(), 0, vgaWrite(0xA0000, 1, 1)).buffered(), "510 used: one slot left");
        assertEquals(511, BufferedIoreqPage.used(s.ring().pointers()));
        TestProbe<Outcome> out = s.xen().start(s.d(), 0, vgaWrite(0xA0004, 1, 2));
        s.emu().awaitRequest(0);
        Ioreq sync = s.emu().page().load(0);
        assertEquals(IoreqType.COPY, sync.type());
        assertEquals(IoDirection.WRITE, sync.dir());
        assertEquals(0xA0004, sync.addr());
        assertEquals(1, s.xen().server(s.d(), 0).buffered().get("fullFallbacks"));
        s.emu().respond(0, 0);
        assertFalse(out.receiveMessage().buffered(), "the same write, sent synchronously to the same server");
    }

    @Test
    void anEightByteItemNeedsTwoFreeSlots() {
        Setup s = setUp();
        s.ring().setPointers(0, 509);
        assertTrue(s.xen().run(s.d(), 0, vgaWrite(0xA0000, 8, 1)).buffered(), "509 used: two slots left");
        s.ring().setPointers(0, 510);
        TestProbe<Outcome> out = s.xen().start(s.d(), 0, vgaWrite(0xA0000, 8, 2));
        s.emu().awaitRequest(0);
        s.emu().respond(0, 0);
        assertFalse(out.receiveMessage().buffered(), "510 used: one slot is not enough (511 - qw)");
    }

    @Test
    void repWritesReadsAndServersWithoutARingGoSynchronously() {
        Setup s = setUp();
        TestProbe<Outcome> rep = s.xen().start(s.d(), 0, new GuestOp.Io(true, 0xA0000, 2, 4, IoDirection.WRITE,
                false, true, 0x5000));
        s.emu().awaitRequest(0);
        assertEquals(4, s.emu().page().load(0).count());
        s.emu().respond(0, 0);
        assertFalse(rep.receiveMessage().buffered());
        TestProbe<Outcome> read = s.xen().start(s.d(), 0, GuestOp.Io.mmioRead(0xA0000, 2));
        s.emu().awaitRequest(0);
        s.emu().respond(0, 0x55);
        assertEquals(0x55, read.receiveMessage().value());
        Setup off = setUp(XenOptions.SEED, 0);
        TestProbe<Outcome> w = off.xen().start(off.d(), 0, vgaWrite(0xA0000, 1, 1));
        off.emu().awaitRequest(0);
        off.emu().respond(0, 0);
        assertFalse(w.receiveMessage().buffered(), "bufioreq OFF: VGA writes are synchronous");
        assertEquals(Route.NULL_HANDLER, off.xen().run(off.d(), 0, vgaWrite(0xC0000, 1, 1)).route());
    }

    @Test
    void timeoffsetIsBroadcastBufferedAndLostForAServerWithoutARing() {
        for (boolean skip : List.of(false, true)) {
            XenOptions o = XenOptions.SEED.with("skipNonBufferedInBroadcast", skip);
            Setup s = setUp(o, 2);
            XenFixture.EmulatorProbe off = s.xen().emulator(0, s.d(), 1, 0);
            s.xen().run(s.d(), 0, new GuestOp.SetRtcOffset(-5));
            DomainSnapshot snap = s.xen().inspect(s.d());
            assertEquals(2, BufferedIoreqPage.used(s.ring().pointers()), "the vCPU's broadcast was handled first");
            long lo = BufferedIoreqPage.slotData(s.ring().slotAt(0));
            long hi = BufferedIoreqPage.slotData(s.ring().slotAt(1));
            assertEquals(-5L, lo | (hi << 32));
            assertEquals(IoreqType.TIMEOFFSET.code(), BufferedIoreqPage.slotType(s.ring().slotAt(0)));
            assertEquals(skip ? 0L : 1L, snap.counters().get("timeoffsetLost"));
            assertEquals(!skip, snap.findings().contains("Unsuccessful timeoffset update"));
            assertEquals(skip ? 0L : 1L, s.xen().server(s.d(), off.id()).buffered().get("timeoffsetLost"));
            s.xen().run(s.d(), 0, new GuestOp.SetRtcOffset(0));
            s.xen().inspect(s.d());
            assertEquals(2, BufferedIoreqPage.used(s.ring().pointers()), "a zero offset sends nothing");
        }
    }

    @Test
    void atomicModeCanonicalisesThePointersAndLegacyDoesNot() {
        Setup atomic = setUp();
        atomic.ring().setPointers(1000, 1000);
        atomic.xen().run(atomic.d(), 0, vgaWrite(0xA0000, 1, 1));
        assertEquals(1000 - 511, atomic.ring().readPointer());
        assertEquals(1001 - 511, atomic.ring().writePointer());
        Setup legacy = setUp(XenOptions.SEED, 1);
        legacy.ring().setPointers(1000, 1000);
        legacy.xen().run(legacy.d(), 0, vgaWrite(0xA0000, 1, 1));
        assertEquals(1000, legacy.ring().readPointer());
        assertEquals(1001, legacy.ring().writePointer());
    }

    @Test
    void legacyPointersWrappingAt2To32OverwriteLiveSlotsH4() {
        Setup legacy = setUp(XenOptions.SEED, 1);
        legacy.ring().setPointers(-16, -16);
        for (int i = 0; i < 48; i++) {
            assertTrue(legacy.xen().run(legacy.d(), 0, vgaWrite(0xA0000 + i, 1, i)).buffered());
        }
        assertEquals(48, BufferedIoreqPage.used(legacy.ring().pointers()), "Xen sees 48 slots in use");
        assertEquals(32, BufferedIoreqPage.slotData(legacy.ring().slotAt(-16)),
                "2^32 - 16 and 16 are both slot 16 (2^32 mod 511 = 32): item 0 was overwritten by item 32");
        Setup atomic = setUp();
        atomic.ring().setPointers(0, 0);
        for (int i = 0; i < 48; i++) {
            atomic.xen().run(atomic.d(), 0, vgaWrite(0xA0000 + i, 1, i));
        }
        for (int i = 0; i < 48; i++) {
            assertEquals(i, BufferedIoreqPage.slotData(atomic.ring().slotAt(i)));
        }
    }

    @Test
    void unreadItemsAreCountedLostWhenTheServerIsDestroyed() {
        Setup s = setUp();
        s.xen().run(s.d(), 0, vgaWrite(0xA0000, 1, 1));
        s.xen().run(s.d(), 0, vgaWrite(0xA0001, 8, 1));
        assertTrue(s.xen().dmOp(0, s.d(), new DmOp.DestroyIoreqServer(s.emu().id())).isOk());
        DomainSnapshot snap = s.xen().inspect(s.d());
        assertEquals(3L, snap.counters().get("bufferedLostOnDestroy"));
        assertTrue(snap.findings().contains("buffered: 3 unread slot(s) of server 0 lost: server destroyed"));
    }

    @Test
    void disablingKeepsResourcePagesButZeroesGfnPages() {
        Setup s = setUp();
        s.xen().run(s.d(), 0, vgaWrite(0xA0000, 1, 1));
        assertTrue(s.xen().enable(0, s.d(), s.emu().id(), false).isOk());
        assertEquals(1, BufferedIoreqPage.used(s.ring().pointers()), "resource page: still readable");
        assertEquals(0L, s.xen().inspect(s.d()).counters().get("bufferedLostOnDisable"));

        XenFixture xen = new XenFixture(kit);
        int d = ServerPagesTest.guestWithPool(xen, 1);
        int id = xen.createServer(d, 2);
        var info = (HypercallOutput.IoreqServerInfo) xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(id, 0)).value();
        BufferedIoreqPage ring = new BufferedIoreqPage(xen.host.guestMemory(d).frame(info.bufioreqGfn()));
        assertTrue(xen.map(0, d, id, 1, 0xA0000, 0xBFFFF).isOk());
        assertTrue(xen.enable(0, d, id, true).isOk());
        ring.setPointers(0, 3);
        assertTrue(xen.enable(0, d, id, false).isOk());
        assertEquals(0, BufferedIoreqPage.used(ring.pointers()), "the gfn page was zeroed");
        assertEquals(3L, xen.inspect(d).counters().get("bufferedLostOnDisable"));
    }

    @Test
    void notificationsOnThePendingBufioreqPortCoalesceIntoOneUpcall() {
        Setup s = setUp();
        TestProbe<Integer> upcalls = kit.createTestProbe();
        int port = s.xen().server(s.d(), s.emu().id()).bufioreqPort();
        Result<Integer> local = s.xen().host.bindInterdomain(0, s.d(), port,
                p -> new EventChannelConsumer<>(upcalls.ref(), p));
        assertTrue(local.isOk());
        assertEquals(local.value(), upcalls.receiveMessage(), "the bind's own event, not yet consumed");
        for (int i = 0; i < 5; i++) {
            s.xen().run(s.d(), 0, vgaWrite(0xA0000 + i, 1, i));
        }
        upcalls.expectNoMessage(QUIET);
        EventChannel c = s.xen().host.port(0, local.value());
        assertEquals(6, c.notified());
        assertEquals(5, c.coalesced());
        assertEquals(1, c.upcalls());
    }
}
