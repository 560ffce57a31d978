package org.ioreqsim.ioreq.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ioreqsim.ioreq.Xen;
import org.junit.jupiter.api.Test;

/**
 * The emulator's read-pointer update is an atomic add (spec 8.4): when Xen's ATOMIC-mode
 * canonicalisation moves both pointers between the emulator's read of the pair and its update, the ring
 * stays consistent. A store of the value read plus one would leave rp far beyond wp, and the consumer
 * would then walk about 2^32 stale slots.
 */
class BufferedIoreqPageTest {

    @Test
    void advancingTheReadPointerAfterCanonicalisationKeepsTheRing() {
        BufferedIoreqPage ring = new BufferedIoreqPage(new MachineMemory().allocate(0));
        int n = Xen.IOREQ_BUFFER_SLOT_NUM;
        ring.setPointers(n + 4, n + 7);
        long seen = ring.pointers();
        // Xen canonicalises (both pointers minus 511) after the emulator read the pair ...
        ring.compareAndSetPointers(seen, BufferedIoreqPage.pointersOf(4, 7));
        // ... and the emulator then consumes the item it read at rp = 515.
        ring.advanceReadPointer(1);
        assertEquals(5, ring.readPointer());
        assertEquals(7, ring.writePointer());
        assertEquals(2, BufferedIoreqPage.used(ring.pointers()));
    }

    @Test
    void advancingKeepsTheWritePointer() {
        BufferedIoreqPage ring = new BufferedIoreqPage(new MachineMemory().allocate(0));
        ring.setPointers(10, 20);
        ring.advanceReadPointer(2);
        assertEquals(12, ring.readPointer());
        assertEquals(20, ring.writePointer());
    }
}
