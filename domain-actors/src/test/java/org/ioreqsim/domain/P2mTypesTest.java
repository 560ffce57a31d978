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
}
