package org.ioreqsim.sim.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The buffered ring's two ends on one shared page ({@link BufferedIoreqPage}): Xen's producer
 * ({@code hvm_send_buffered_ioreq}: full check, slot write, write-pointer publish, ATOMIC-mode
 * canonicalisation) and QEMU's consumer ({@code handle_buffered_iopage}: read the pointers, decode a
 * slot, advance the read pointer). One invocation writes {@code batch} items and drains them, so the
 * figure is the cost of one item through both ends, single-threaded. The model's own producer and
 * consumer run these page operations in this order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BufferedRingBenchmark {
    private static final int BATCH = 64;

    /** Bytes per item: 4 takes one slot, 8 takes two. */
    @Param({"4", "8"})
    public int size;

    private BufferedIoreqPage ring;
    private long sink;

    @Setup
    public void setUp() {
        ring = new BufferedIoreqPage(new MachineMemory().allocate(0));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long produceAndConsume() {
        for (int i = 0; i < BATCH; i++) {
            produce(0xA0000L + 2L * i, i * 0x9E3779B97F4A7C15L);
        }
        consume();
        return sink;
    }

    /** What Xen writes for one item; false when the ring is full. */
    private boolean produce(long addr, long data) {
        int sizeCode = size == 8 ? 3 : 2;
        int qw = sizeCode == 3 ? 1 : 0;
        long ptrs = ring.pointers();
        if (BufferedIoreqPage.used(ptrs) >= Xen.IOREQ_BUFFER_SLOT_NUM - qw) {
            return false;
        }
        int wp = BufferedIoreqPage.writePointerOf(ptrs);
        long header = BufferedIoreqPage.encodeSlot(IoreqType.COPY.code(), IoDirection.WRITE.code(), sizeCode, addr,
                0);
        ring.setSlotAt(wp, header | ((data & 0xFFFFFFFFL) << 32));
        if (qw == 1) {
            ring.setSlotAt(wp + 1, header | ((data >>> 32) << 32));
        }
        ring.setWritePointer(wp + 1 + qw);
        canonicalise();
        return true;
    }

    /** ATOMIC mode: pull both pointers below 511 once the read pointer passed it. */
    private void canonicalise() {
        long old = ring.pointers();
        long rp = BufferedIoreqPage.readPointerOf(old) & 0xFFFFFFFFL;
        if (rp >= Xen.IOREQ_BUFFER_SLOT_NUM) {
            long n = rp / Xen.IOREQ_BUFFER_SLOT_NUM;
            long wp = BufferedIoreqPage.writePointerOf(old) & 0xFFFFFFFFL;
            ring.compareAndSetPointers(old, BufferedIoreqPage.pointersOf((int) (rp - Xen.IOREQ_BUFFER_SLOT_NUM * n),
                    (int) (wp - Xen.IOREQ_BUFFER_SLOT_NUM * n)));
        }
    }

    /** What QEMU reads: every published item, joining the halves of 8-byte items. */
    private void consume() {
        while (true) {
            long ptrs = ring.pointers();
            int rp = BufferedIoreqPage.readPointerOf(ptrs);
            if (rp == BufferedIoreqPage.writePointerOf(ptrs)) {
                return;
            }
            long slot = ring.slotAt(rp);
            long data = BufferedIoreqPage.slotData(slot);
            int qw = BufferedIoreqPage.slotSizeCode(slot) == 3 ? 1 : 0;
            if (qw == 1) {
                data |= BufferedIoreqPage.slotData(ring.slotAt(rp + 1)) << 32;
            }
            sink += BufferedIoreqPage.slotAddr(slot) ^ data;
            ring.advanceReadPointer(1 + qw);
        }
    }
}
