package org.ioreqsim.sim.trace;

import java.util.concurrent.atomic.AtomicLong;
import org.ioreqsim.ioreq.device.IoDevice;

/**
 * What the real device answered: the trace access being replayed, published by the replay driver
 * before it starts the access and read by the emulator's replay devices on the emulator's thread (the
 * access's message chain orders the two; the field is volatile all the same). Replay is strictly one
 * access at a time, so the only read a replay device can be asked is the current one.
 */
final class AnswerSheet {
    private volatile TraceAccess current;
    private final AtomicLong misses = new AtomicLong();

    void replaying(TraceAccess access) {
        current = access;
    }

    /**
     * The recorded value for a read of {@code size} bytes at {@code addr} (-1 when the caller cannot tell,
     * as for a PCI config cycle), masked to {@code size}. A read that is not the current access (it
     * cannot happen while replay is sequential) is counted and still answered.
     */
    long answer(long addr, int size) {
        TraceAccess a = current;
        if (a == null) {
            misses.incrementAndGet();
            return IoDevice.allOnes(size);
        }
        if ((addr != -1 && addr != a.addr()) || size != a.size() || !a.isRead()) {
            misses.incrementAndGet();
        }
        return IoDevice.truncate(a.value(), size);
    }

    /** Reads that did not match the access being replayed. */
    long misses() {
        return misses.get();
    }
}
