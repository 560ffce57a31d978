package org.ioreqsim.ioreq.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The Host's per-domain tables: found by domid, grown past their first size, forgotten on removal. */
class ByDomidTest {

    @Test
    void valuesAreFoundByDomidAcrossGrowthAndForgottenWhenRemoved() {
        ByDomid<String> t = new ByDomid<>();
        for (int d = 0; d < 1000; d++) {
            t.put(d, "d" + d);
        }
        t.put(0x7FEF, "last");
        for (int d = 0; d < 1000; d++) {
            assertEquals("d" + d, t.get(d), "domid " + d + " after the array grew");
        }
        assertEquals("last", t.get(0x7FEF));
        t.remove(500);
        assertNull(t.get(500));
        assertEquals("d501", t.get(501));
    }

    @Test
    void domidsNeverSetOrOutOfRangeHaveNoValue() {
        ByDomid<String> t = new ByDomid<>();
        t.put(3, "d3");
        assertNull(t.get(2));
        assertNull(t.get(-1));
        assertNull(t.get(0x7FF0 + 1_000_000));
        t.remove(-1);
        t.remove(1_000_000);
        assertEquals("d3", t.get(3));
        assertThrows(IllegalArgumentException.class, () -> t.put(-1, "x"));
    }
}
