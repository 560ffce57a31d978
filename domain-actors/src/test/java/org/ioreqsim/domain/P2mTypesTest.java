package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link P2mTypes}: dm.c's {@code set_mem_type} and {@code allow_p2m_type_change}, and the
 * {@code p2m->ioreq.entry_count} that {@code p2m_set_ioreq_server} checks (spec 10.10).
 */
class P2mTypesTest {
    private final GuestPhysmap physmap = new GuestPhysmap(1, new MachineMemory());
    private final P2mTypes p2m = new P2mTypes(physmap);

    P2mTypesTest() {
        physmap.populate(0x0, 0x9F);
        physmap.populate(0x100, 0x1FF);
    }

    @ParameterizedTest(name = "allow_p2m_type_change({0} -> {1}) = {2}")
    @CsvSource({
        "RAM_RW, IOREQ_SERVER, true", "RAM_RO, IOREQ_SERVER, false", "INVALID, IOREQ_SERVER, false",
        "IOREQ_SERVER, RAM_RW, true", "IOREQ_SERVER, RAM_RO, false", "IOREQ_SERVER, MMIO_DM, false",
        "RAM_RW, RAM_RO, true", "RAM_RO, MMIO_DM, true", "INVALID, MMIO_DM, true", "INVALID, RAM_RW, false",
        "MMIO_DM, RAM_RW, false", "MMIO_DM, MMIO_DM, true"})
    void allowP2mTypeChange(P2mTypes.Type from, P2mTypes.Type to, boolean allowed) {
        assertEquals(allowed, P2mTypes.allowChange(from, to));
    }

    @Test
    void ioreqServerNeedsAClaimAndHap() {
        assertEquals(Errno.EINVAL, p2m.setMemType(0x100, 1, 4, true, false).errnoOrNull());
        assertEquals(Errno.EOPNOTSUPP, p2m.setMemType(0x100, 1, 4, false, true).errnoOrNull());
        assertTrue(p2m.setMemType(0x100, 2, 4, true, true).isOk());
        assertEquals(2, p2m.ioreqEntryCount());
        assertTrue(p2m.isIoreqServer(0x101));
        assertEquals("ioreq_server", p2m.hvmmemName(0x100));
    }

    @Test
    void rangeChecksComeFirst() {
        assertEquals(Errno.EINVAL, p2m.setMemType(0x100, 0, 0, true, true).errnoOrNull(), "empty");
        assertEquals(Errno.EINVAL, p2m.setMemType(0x1FF, 2, 0, true, true).errnoOrNull(), "past the last gfn");
        assertEquals(Errno.EINVAL, p2m.setMemType(-1L, 2, 0, true, true).errnoOrNull(), "wraps");
        assertEquals(Errno.EINVAL, p2m.setMemType(0x100, 1, 3, true, true).errnoOrNull(), "HVMMEM_unused");
    }

    @Test
    void aRefusedGfnStopsTheRunAndKeepsTheEarlierChanges() {
        assertEquals(Errno.EINVAL, p2m.setMemType(0x9E, 3, 4, true, true).errnoOrNull());
        assertEquals(2, p2m.ioreqEntryCount());
        assertEquals("mmio_dm", p2m.hvmmemName(0xA0), "a hole reads as mmio_dm");
    }

    @Test
    void releaseResetsEveryEntryToRam() {
        p2m.setMemType(0x100, 3, 4, true, true);
        assertEquals(3, p2m.resetIoreqServerEntries());
        assertEquals(0, p2m.ioreqEntryCount());
        assertFalse(p2m.isIoreqServer(0x100));
        assertEquals("ram_rw", p2m.hvmmemName(0x102));
    }

    /*
     * Added after mutation run E1 (docs/testing.md): each test below kills a mutant that survived it.
     * HVMMEM codes (spec 2): ram_rw 0, ram_ro 1, mmio_dm 2, unused 3, ioreq_server 4.
     */

    /**
     * dm.c {@code set_mem_type} -> {@code p2m_change_type_one}: a gfn taken from p2m_ioreq_server back to
     * ram_rw leaves {@code p2m->ioreq.entry_count} (which {@code p2m_set_ioreq_server} and the
     * emulation path of spec 5 step 8a read; spec 10.10).
     */
    @Test
    void ramRwAgainTakesTheGfnOutOfTheIoreqCount() {
        assertTrue(p2m.setMemType(0x100, 2, 4, true, true).isOk());
        assertTrue(p2m.setMemType(0x100, 1, 0, true, true).isOk(), "ioreq_server -> ram_rw is allowed");
        assertEquals(1, p2m.ioreqEntryCount());
        assertFalse(p2m.isIoreqServer(0x100));
        assertTrue(p2m.isIoreqServer(0x101));
        assertEquals(1, p2m.resetIoreqServerEntries(), "only 0x101 is left to reset");
    }

    /**
     * {@code set_mem_type}'s range check against {@code domain_get_maximum_gpfn}: the highest gfn itself
     * is in range, one past it is not, and a refused range changes nothing (the check comes before the
     * gfn loop, so a type the loop would allow on a hole, mmio_dm, is refused too).
     */
    @Test
    void theHighestGfnIsInRangeAndARangePastItChangesNothing() {
        assertTrue(p2m.setMemType(0x1FF, 1, 1, true, true).isOk(), "the last gfn");
        assertEquals("ram_ro", p2m.hvmmemName(0x1FF));
        assertEquals(Errno.EINVAL, p2m.setMemType(0x1FE, 3, 2, true, true).errnoOrNull(), "ends one past");
        assertEquals("ram_rw", p2m.hvmmemName(0x1FE), "nothing changed before the refusal");
        assertEquals("ram_ro", p2m.hvmmemName(0x1FF));
    }

    /** {@code set_mem_type}: a type past HVMMEM_ioreq_server is EINVAL (not an index past the table). */
    @Test
    void aTypePastIoreqServerIsEinval() {
        assertEquals(Errno.EINVAL, p2m.setMemType(0x100, 1, 5, true, true).errnoOrNull());
        assertEquals(Errno.EINVAL, p2m.setMemType(0x100, 1, -1L, true, true).errnoOrNull());
        assertEquals("ram_rw", p2m.hvmmemName(0x100));
    }

    /**
     * A gfn whose type is back to ram_rw (by set_mem_type, or by the release's
     * {@code p2m_change_entry_type_global}) is an ordinary RAM entry again: when it later leaves the
     * physmap ({@code guest_physmap_remove_page}, as an enabled server's gfn does, spec 11.3) it reads as
     * a hole, mmio_dm ({@code HVMOP_get_mem_type}), not as a remembered ram_rw.
     */
    @Test
    void aGfnBackToRamRwFollowsThePhysmapAgain() {
        assertTrue(p2m.setMemType(0x100, 1, 1, true, true).isOk());
        assertTrue(p2m.setMemType(0x100, 1, 0, true, true).isOk());
        assertTrue(p2m.setMemType(0x101, 1, 4, true, true).isOk());
        assertEquals(1, p2m.resetIoreqServerEntries());
        physmap.remove(0x100);
        physmap.remove(0x101);
        assertEquals("mmio_dm", p2m.hvmmemName(0x100), "set back to ram_rw by set_mem_type");
        assertEquals("mmio_dm", p2m.hvmmemName(0x101), "reset to ram_rw by the release");
    }

    /**
     * {@code domain_get_maximum_gpfn} of a domain with no RAM yet: none (-1), read without touching a
     * range that is not there.
     */
    @Test
    void aPhysmapWithoutRamHasNoHighestGfn() {
        GuestPhysmap empty = new GuestPhysmap(2, new MachineMemory());
        assertEquals(-1L, empty.maxGfn());
        assertEquals(0x1FFL, physmap.maxGfn());
    }
}
