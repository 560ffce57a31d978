package org.ioreqsim.ioreq.server;

import akka.NotUsed;
import akka.stream.Attributes;
import akka.stream.Outlet;
import akka.stream.SourceShape;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.AsyncCallback;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.GraphStageWithMaterializedValue;
import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import scala.Tuple2;

/**
 * A server's buffered ring as an Akka Streams source: the 511-slot page is the bounded buffer between
 * Xen (which writes slots and the write pointer) and the emulator downstream. At each pull the source
 * reads every item published since its last read, in order, as one batch, ahead of the read pointer by
 * what it has delivered and not yet had released. The emulator gives slots back ({@link Control#release},
 * QEMU's atomic add to the read pointer) only for items it has applied. So Xen sees the ring full
 * exactly when 511 slots are published and not yet applied, whatever the stream buffers in between.
 *
 * <p>A source that has caught up with the write pointer waits for {@link Control#wake()}: the bufioreq
 * upcall, QEMU's 100 ms poll, or a synchronous request that must wait for the ring. An 8-byte item
 * whose second half is not yet published fails the stream ("Incomplete quad word buffered ioreq"),
 * which QEMU treats as fatal.
 */
public final class BufferedRingSource extends GraphStageWithMaterializedValue<SourceShape<List<BufferedWrite>>,
        BufferedRingSource.Control> {

    /** Drives the source from outside the stream; safe to call from any thread. */
    public interface Control {
        /** Look at the ring again (an upcall, a poll, a request waiting for the ring). */
        void wake();

        /** The emulator applied items occupying {@code slots} slots: give them back to Xen. */
        void release(int slots);

        /** Slots published and not yet released. */
        long used();

        /** Most slots seen in use. */
        long highWater();
    }

    /** The emulator's fatal error on a half-published 8-byte item. */
    public static final class IncompleteQuadWord extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IncompleteQuadWord(int pointer) {
            super("Incomplete quad word buffered ioreq at read pointer " + Integer.toUnsignedString(pointer),
                    null, false, false);
        }
    }

    private final Outlet<List<BufferedWrite>> out = Outlet.create("BufferedRing.out");
    private final SourceShape<List<BufferedWrite>> shape = SourceShape.of(out);
    private final BufferedIoreqPage ring;

    public BufferedRingSource(BufferedIoreqPage ring) {
        this.ring = ring;
    }

    @Override
    public SourceShape<List<BufferedWrite>> shape() {
        return shape;
    }

    @Override
    public Tuple2<GraphStageLogic, Control> createLogicAndMaterializedValue(Attributes attributes) {
        Logic logic = new Logic();
        return new Tuple2<>(logic, logic.control);
    }

    private final class Logic extends GraphStageLogic {
        /** Guards {@link #inFlight} together with the read pointer, so the read position is consistent. */
        private final Object lock = new Object();
        /** Slots delivered downstream and not yet released. */
        private int inFlight;
        /**
         * Slots delivered before Xen zeroed the page under the emulator (a disable, enable or destroy of
         * a gfn-mapped server clears it): applied as they were read, but no longer in the ring.
         */
        private int stale;
        private long highWater;
        /** The page's count of clears when {@link #inFlight} was last checked against it. */
        private int clearsSeen;
        /** Created with the logic, so that a wake before the stage has started is kept, not lost. */
        private final AsyncCallback<NotUsed> wakeUp;
        private final Control control = new Control() {
            @Override
            public void wake() {
                wakeUp.invoke(NotUsed.getInstance());
            }

            @Override
            public void release(int slots) {
                synchronized (lock) {
                    noticeReset();
                    int fresh = slots - Math.min(stale, slots);
                    stale -= slots - fresh;
                    if (fresh > 0) {
                        ring.advanceReadPointer(fresh);
                        inFlight -= fresh;
                    }
                }
            }

            @Override
            public long used() {
                return BufferedIoreqPage.used(ring.pointers());
            }

            @Override
            public long highWater() {
                synchronized (lock) {
                    return highWater;
                }
            }
        };

        Logic() {
            super(shape);
            clearsSeen = ring.page().clears();
            wakeUp = createAsyncCallback(x -> {
                if (isAvailable(out)) {
                    pushAvailable();
                }
            });
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    pushAvailable();
                }
            });
        }

        /**
         * Xen zeroed the page since the read-ahead (or the ring holds fewer slots than were read ahead,
         * which only a misbehaving writer of the pointers causes). QEMU, which adds to the read pointer
         * right after applying each item, would have seen an empty ring, and then only what Xen wrote
         * after the clear; so do we: what was read ahead no longer counts, and releasing it leaves the
         * new pointers alone. The ring may already hold new items again, as many as were read ahead or
         * more, so the clear is told by the page's count of clears, not by the pointers.
         */
        private void noticeReset() {
            int c = ring.page().clears();
            if (c != clearsSeen) {
                clearsSeen = c;
                stale += inFlight;
                inFlight = 0;
            }
            if (inFlight > 0 && BufferedIoreqPage.used(ring.pointers()) < inFlight) {
                stale += inFlight;
                inFlight = 0;
            }
        }

        /**
         * QEMU's handle_buffered_iopage, at each pull: every item published past the read-ahead, in
         * order, as one batch (at most a ring's worth). An 8-byte item whose second half is not yet
         * published ends the batch and the stream after the items before it, as QEMU applies those
         * before it dies.
         */
        private void pushAvailable() {
            List<BufferedWrite> items;
            IncompleteQuadWord half = null;
            synchronized (lock) {
                noticeReset();
                long ptrs = ring.pointers();
                int wp = BufferedIoreqPage.writePointerOf(ptrs);
                int at = BufferedIoreqPage.readPointerOf(ptrs) + inFlight;
                highWater = Math.max(highWater, BufferedIoreqPage.used(ptrs));
                int ahead = (int) Math.min(Integer.toUnsignedLong(wp - at), Xen.IOREQ_BUFFER_SLOT_NUM);
                if (ahead == 0) {
                    return;
                }
                items = new ArrayList<>(ahead);
                for (int read = 0; read < ahead; ) {
                    long slot = ring.slotAt(at);
                    int code = BufferedIoreqPage.slotSizeCode(slot);
                    long data = BufferedIoreqPage.slotData(slot);
                    int slots = 1;
                    if (code == 3) {
                        if (at + 1 == wp) {
                            half = new IncompleteQuadWord(at);
                            break;
                        }
                        data |= BufferedIoreqPage.slotData(ring.slotAt(at + 1)) << 32;
                        slots = 2;
                    }
                    items.add(new BufferedWrite(BufferedIoreqPage.slotType(slot), BufferedIoreqPage.slotAddr(slot),
                            1 << code, data, slots, at));
                    inFlight += slots;
                    at += slots;
                    read += slots;
                }
            }
            if (!items.isEmpty()) {
                push(out, items);
            }
            if (half != null) {
                failStage(half);
            }
        }
    }
}
