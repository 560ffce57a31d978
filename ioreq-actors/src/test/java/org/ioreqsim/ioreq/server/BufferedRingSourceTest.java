package org.ioreqsim.ioreq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Source;
import akka.stream.testkit.TestSubscriber;
import akka.stream.testkit.javadsl.TestSink;
import java.time.Duration;
import java.util.List;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The buffered ring as a stream source (spec 8.4): order, 8-byte items, release, wake-up, fatal halves. */
class BufferedRingSourceTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static final Duration QUIET = Duration.ofMillis(100);

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    /** Publishes one item as Xen's producer would: slot(s) first, then the write pointer. */
    static void publish(BufferedIoreqPage ring, int sizeCode, long addr, long data) {
        int wp = ring.writePointer();
        long header = BufferedIoreqPage.encodeSlot(IoreqType.COPY.code(), 0, sizeCode, addr, 0);
        ring.setSlotAt(wp, header | ((data & 0xFFFFFFFFL) << 32));
        if (sizeCode == 3) {
            ring.setSlotAt(wp + 1, header | ((data >>> 32) << 32));
        }
        ring.setWritePointer(wp + (sizeCode == 3 ? 2 : 1));
    }

    static Tuple2<BufferedRingSource.Control, TestSubscriber.Probe<List<BufferedWrite>>> run(BufferedIoreqPage ring) {
        akka.japi.Pair<BufferedRingSource.Control, TestSubscriber.Probe<List<BufferedWrite>>> p =
                Source.fromGraph(new BufferedRingSource(ring))
                        .toMat(TestSink.probe(Adapter.toClassic(kit.system())), Keep.both())
                        .run(kit.system());
        return new Tuple2<>(p.first(), p.second());
    }

    static BufferedIoreqPage ring() {
        return new BufferedIoreqPage(new MachineMemory().allocate(0));
    }

    @Test
    void itemsComeInOrderAndSlotsAreReleasedOnlyWhenTheEmulatorSaysSo() {
        BufferedIoreqPage ring = ring();
        publish(ring, 0, 0xA0000, 0x11);
        publish(ring, 1, 0xA0002, 0x2222);
        publish(ring, 2, 0xA0004, 0x33333333L);
        var r = run(ring);
        r._2().request(1);
        assertEquals(List.of(new BufferedWrite(1, 0xA0000, 1, 0x11, 1, 0),
                new BufferedWrite(1, 0xA0002, 2, 0x2222, 1, 1),
                new BufferedWrite(1, 0xA0004, 4, 0x33333333L, 1, 2)), r._2().expectNext(),
                "everything published, in order, as one batch");
        assertEquals(3, r._1().used(), "delivered but not applied: Xen still counts them");
        r._1().release(1);
        assertEquals(2, r._1().used());
        assertEquals(1, ring.readPointer());
        r._1().release(2);
        assertEquals(0, r._1().used());
    }

    @Test
    void anEightByteItemJoinsItsTwoSlotsLowHalfFirst() {
        BufferedIoreqPage ring = ring();
        publish(ring, 3, 0, 0x1122334455667788L);
        var r = run(ring);
        r._2().request(1);
        BufferedWrite w = r._2().expectNext().get(0);
        assertEquals(8, w.size());
        assertEquals(0x1122334455667788L, w.data());
        assertEquals(2, w.slots());
    }

    @Test
    void anEmptyRingWaitsForAWakeUp() {
        BufferedIoreqPage ring = ring();
        var r = run(ring);
        r._2().request(1);
        r._2().expectNoMessage(QUIET);
        publish(ring, 0, 0xB8000, 0x41);
        r._2().expectNoMessage(QUIET);
        r._1().wake();
        assertEquals(0x41, r._2().expectNext().get(0).data());
    }

    @Test
    void aHalfPublishedEightByteItemIsFatal() {
        BufferedIoreqPage ring = ring();
        long header = BufferedIoreqPage.encodeSlot(IoreqType.TIMEOFFSET.code(), 0, 3, 0, 0);
        ring.setSlotAt(0, header);
        ring.setWritePointer(1);
        var r = run(ring);
        r._2().request(1);
        assertInstanceOf(BufferedRingSource.IncompleteQuadWord.class, r._2().expectError());
    }

    @Test
    void slotIndexesFollowThePointerModulo511() {
        BufferedIoreqPage ring = ring();
        ring.setPointers(1022, 1022);
        publish(ring, 0, 0x10, 7);
        assertEquals(7, BufferedIoreqPage.slotData(ring.slotAt(0)), "1022 mod 511 is slot 0");
        var r = run(ring);
        r._2().request(1);
        assertEquals(1022, r._2().expectNext().get(0).pointer());
    }

    /**
     * Xen clears a gfn-mapped server's page when it is disabled, enabled or destroyed (spec 11.3), even
     * while the emulator has items read and not yet applied. QEMU adds to the read pointer right after
     * each item, so it sees an empty ring; the source must too, and must not read the zeroed slots
     * as writes (found by the stress harness: seed 769, random strategy, an endless stream of
     * garbage items after domain_kill).
     */
    @Test
    void aPageZeroedUnderTheReadAheadIsAnEmptyRingNotGarbage() {
        BufferedIoreqPage ring = ring();
        publish(ring, 0, 0xA0000, 0x11);
        publish(ring, 0, 0xA0001, 0x22);
        var r = run(ring);
        r._2().request(1);
        assertEquals(2, r._2().expectNext().size());
        ring.page().clear();
        r._2().request(1);
        r._1().wake();
        r._2().expectNoMessage(QUIET);
        r._1().release(1);
        r._1().release(1);
        assertEquals(0, ring.pointers(), "releasing what was read before the clear leaves the new pointers alone");
        publish(ring, 0, 0xA0002, 0x33);
        r._1().wake();
        assertEquals(List.of(new BufferedWrite(1, 0xA0002, 1, 0x33, 1, 0)), r._2().expectNext());
        r._1().release(1);
        assertEquals(1, ring.readPointer());
        assertEquals(0, r._1().used());
    }

    /**
     * After Xen clears the page the ring may fill again with as many slots as were read ahead (here two
     * old 1-byte items, then one new 8-byte item): the source still sees the clear and reads the new item
     * from the new read pointer. The emulator releases everything it applied from one batch at once, so
     * one release may cover items read before the clear and after: the first no longer count, the rest
     * move the new read pointer.
     */
    @Test
    void aClearIsSeenWhenTheRingRefillsAndOneReleaseCountsOnlyTheItemsReadAfterIt() {
        BufferedIoreqPage ring = ring();
        publish(ring, 0, 0xA0000, 0x11);
        publish(ring, 0, 0xA0001, 0x22);
        var r = run(ring);
        r._2().request(1);
        assertEquals(2, r._2().expectNext().size());
        ring.page().clear();
        publish(ring, 3, 0xA0008, 0x4444);
        r._2().request(1);
        r._1().wake();
        assertEquals(List.of(new BufferedWrite(1, 0xA0008, 8, 0x4444, 2, 0)), r._2().expectNext());
        r._1().release(1 + 1 + 2);
        assertEquals(2, ring.readPointer(), "only the item read after the clear moves the read pointer");
        assertEquals(0, r._1().used());
        publish(ring, 0, 0xA0010, 0x55);
        r._2().request(1);
        r._1().wake();
        assertEquals(2, r._2().expectNext().get(0).pointer());
    }

    /** QEMU applies the items before a half-published 8-byte item, then dies on it. */
    @Test
    void theItemsBeforeAHalfPublishedEightByteItemAreDeliveredThenTheStreamFails() {
        BufferedIoreqPage ring = ring();
        publish(ring, 0, 0xA0000, 0x11);
        long header = BufferedIoreqPage.encodeSlot(IoreqType.COPY.code(), 0, 3, 0xA0008, 0);
        ring.setSlotAt(1, header);
        ring.setWritePointer(2);
        var r = run(ring);
        r._2().request(2);
        assertEquals(List.of(new BufferedWrite(1, 0xA0000, 1, 0x11, 1, 0)), r._2().expectNext());
        assertInstanceOf(BufferedRingSource.IncompleteQuadWord.class, r._2().expectError());
    }

    /** A batch holds what was published after the previous one was taken, not what the emulator holds. */
    @Test
    void eachPullTakesOnlyWhatWasPublishedSinceThePreviousBatch() {
        BufferedIoreqPage ring = ring();
        publish(ring, 0, 0xA0000, 0x11);
        var r = run(ring);
        r._2().request(1);
        assertEquals(1, r._2().expectNext().size());
        publish(ring, 1, 0xA0002, 0x2222);
        publish(ring, 3, 0xA0008, 0x4444);
        r._2().request(1);
        r._1().wake();
        List<BufferedWrite> next = r._2().expectNext();
        assertEquals(List.of(1, 2), next.stream().map(BufferedWrite::pointer).toList());
        assertEquals(4, r._1().used(), "nothing released yet: all four slots still count");
    }
}
