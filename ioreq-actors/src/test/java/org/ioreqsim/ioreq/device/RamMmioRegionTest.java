package org.ioreqsim.ioreq.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RAM behind an MMIO range: what was written reads back, little-endian, across pages; nothing else does. */
class RamMmioRegionTest {

    @Test
    void writesReadBackAcrossAPageBoundaryInASmallAndAHugeRegion() {
        // 128 KiB (a VGA window: pages in an array) and 1 TiB (a BAR: pages in a map)
        for (long size : new long[] {0x20000, 1L << 40}) {
            RamMmioRegion r = new RamMmioRegion("ram", size);
            assertEquals(0, r.read(0x1000, 4), "never written: zero");
            r.write(0x0FFE, 4, 0xA1B2C3D4L);
            assertEquals(0xA1B2C3D4L, r.read(0x0FFE, 4), "straddles pages 0 and 1");
            assertEquals(0xC3D4L, r.read(0x0FFE, 2));
            assertEquals(0xA1B2L, r.read(0x1000, 2));
            r.write(size - 1, 1, 0x5A);
            assertEquals(0x5A, r.read(size - 1, 1), "the last byte");
            assertEquals(2, r.writes());
        }
    }

    @Test
    void bytesOutsideTheRegionAreNotStoredAndReadAsOnes() {
        RamMmioRegion r = new RamMmioRegion("ram", 0x1000);
        r.write(0x0FFF, 2, 0x1234);
        assertEquals(0x34, r.read(0x0FFF, 1), "the byte inside is stored");
        assertEquals(0xFF34, r.read(0x0FFF, 2), "the byte past the end reads 0xFF");
        assertEquals(0xFF, r.read(-1, 1));
    }
}
