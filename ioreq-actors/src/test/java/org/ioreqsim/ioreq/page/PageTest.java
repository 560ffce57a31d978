package org.ioreqsim.ioreq.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A frame that nobody wrote has no words of its own but reads as zero; its first write gives it its
 * own, and no other frame sees that write.
 */
class PageTest {
    private final MachineMemory memory = new MachineMemory();

    @Test
    void anUnwrittenFrameReadsZeroEverywhere() {
        Page p = memory.allocate(1);
        p.clear();
        for (int w = 0; w < Page.WORDS; w++) {
            assertEquals(0, p.get(w));
            assertEquals(0, p.getAcquire(w));
        }
        assertEquals(0, p.readBytes(4093, 3));
    }

    @Test
    void writesStayInTheirOwnFrame() {
        Page a = memory.allocate(1);
        Page b = memory.allocate(1);
        a.setRelease(7, 0x1122334455667788L);
        b.writeBytes(16, 2, 0xBEEF);
        assertEquals(0x1122334455667788L, a.getAcquire(7));
        assertEquals(0, b.get(7));
        assertEquals(0xBEEF, b.readBytes(16, 2));
        assertEquals(0, a.readBytes(16, 2));
        assertEquals(0, memory.allocate(1).get(7));
    }

    @Test
    void compareAndSetOnAnUnwrittenFrameSeesZero() {
        Page p = memory.allocate(1);
        assertFalse(p.compareAndSet(3, 1, 2));
        assertTrue(p.compareAndSet(3, 0, 5));
        assertEquals(5, p.get(3));
        p.clear();
        assertEquals(0, p.get(3));
    }
}
