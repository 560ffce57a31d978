package org.ioreqsim.ioreq.server;

import org.ioreqsim.ioreq.page.BufferedIoreqPage;

/**
 * QEMU's {@code handle_buffered_iopage}: drains every published slot of a server's buffered ring in
 * order, joining the two halves of an 8-byte item, and advances the read pointer atomically after each
 * item (an atomic add: Xen may canonicalise the pointers meanwhile). The emulator must keep
 * {@code 0 <= wp - rp <= 511} and never read past the write pointer; an 8-byte item whose second half
 * is not yet published is fatal ("Incomplete quad word").
 */
final class BufferedRingConsumer {
    private final RequestHandler handler;
    private final EmulatorStats.Counters stats;
    private BufferedIoreqPage ring;

    BufferedRingConsumer(RequestHandler handler, EmulatorStats.Counters stats) {
        this.handler = handler;
        this.stats = stats;
    }

    void attach(BufferedIoreqPage page) {
        this.ring = page;
    }

    /** Drains the ring; returns {@code null}, or the fatal error that stopped it. */
    String drain() {
        if (ring == null) {
            return null;
        }
        while (true) {
            long ptrs = ring.pointers();
            int rp = BufferedIoreqPage.readPointerOf(ptrs);
            int wp = BufferedIoreqPage.writePointerOf(ptrs);
            if (rp == wp) {
                return null;
            }
            stats.ringHighWater = Math.max(stats.ringHighWater, BufferedIoreqPage.used(ptrs));
            long slot = ring.slotAt(rp);
            int sizeCode = BufferedIoreqPage.slotSizeCode(slot);
            long data = BufferedIoreqPage.slotData(slot);
            int qw = sizeCode == 3 ? 1 : 0;
            if (qw == 1) {
                if (rp + 1 == wp) {
                    return "Incomplete quad word buffered ioreq";
                }
                data |= BufferedIoreqPage.slotData(ring.slotAt(rp + 1)) << 32;
            }
            handler.bufferedWrite(BufferedIoreqPage.slotType(slot), BufferedIoreqPage.slotAddr(slot), 1 << sizeCode,
                    data);
            ring.advanceReadPointer(1 + qw);
        }
    }
}
