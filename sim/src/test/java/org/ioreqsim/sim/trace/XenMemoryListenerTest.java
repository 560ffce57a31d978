package org.ioreqsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.RangeType;
import org.junit.jupiter.api.Test;

class XenMemoryListenerTest {
    static final long E1000 = Pci.sbdf(0, 0, 3, 0);
    static final long PIIX4_PM = Pci.sbdf(0, 0, 1, 3);
    static final long LPC = Pci.sbdf(0, 0, 0x1F, 0);

    @Test
    void ioBarIsRegisteredOnceDecodeIsEnabledAndDroppedWhileSized() {
        XenMemoryListener l = new XenMemoryListener(LayoutLoader.preset("qemu-i440fx").pci());
        l.configWrite(E1000, 0x14, 4, 0xC001);
        assertEquals(List.of(), l.drain(), "I/O decode is still off");
        l.configWrite(E1000, 0x04, 2, 0x0001);
        assertEquals(List.of(new RangeChange(true, RangeType.PORT, 0xC000, 0xC03F, "e1000-io")), l.drain());
        l.configWrite(E1000, 0x14, 4, 0xFFFFFFFFL);
        assertEquals(List.of(new RangeChange(false, RangeType.PORT, 0xC000, 0xC03F, "e1000-io")), l.drain(),
                "sizing puts the BAR at 0xffffffc0, which pci_bar_address refuses");
        l.configWrite(E1000, 0x14, 4, 0xC041);
        assertEquals(List.of(new RangeChange(true, RangeType.PORT, 0xC040, 0xC07F, "e1000-io")), l.drain());
    }

    @Test
    void memoryBarFollowsTheMemoryEnableBit() {
        XenMemoryListener l = new XenMemoryListener(LayoutLoader.preset("qemu-i440fx").pci());
        l.configWrite(E1000, 0x10, 4, 0xFEBC0000L);
        l.configWrite(E1000, 0x04, 1, 0x02);
        l.configWrite(E1000, 0x04, 1, 0x00);
        assertEquals(List.of(new RangeChange(true, RangeType.MEMORY, 0xFEBC0000L, 0xFEBDFFFFL, "e1000-mmio"),
                new RangeChange(false, RangeType.MEMORY, 0xFEBC0000L, 0xFEBDFFFFL, "e1000-mmio")), l.drain());
    }

    @Test
    void pmBaseMapsOnlyQemusRegionsOfTheWindow() {
        XenMemoryListener l = new XenMemoryListener(LayoutLoader.preset("qemu-i440fx").pci());
        l.configWrite(PIIX4_PM, 0x40, 4, 0x601);
        l.configWrite(PIIX4_PM, 0x80, 1, 0x01);
        assertEquals(List.of(new RangeChange(true, RangeType.PORT, 0x600, 0x603, "acpi-evt"),
                new RangeChange(true, RangeType.PORT, 0x604, 0x605, "acpi-cnt"),
                new RangeChange(true, RangeType.PORT, 0x608, 0x60B, "acpi-tmr")), l.drain());
    }

    @Test
    void ecamWritesProgramOtherFunctions() {
        XenMemoryListener l = new XenMemoryListener(LayoutLoader.preset("qemu-q35").pci());
        l.configWrite(Pci.sbdf(0, 0, 0, 0), 0x60, 4, 0xB0000001L);
        assertEquals(List.of(new RangeChange(true, RangeType.MEMORY, 0xB0000000L, 0xBFFFFFFFL, "pcie-mmcfg-mmio")),
                l.drain());
        long lpc = 0xB0000000L + (0x1FL << 15);
        l.memoryWrite(lpc + 0x40, 4, 0x601);
        assertEquals(List.of(), l.drain(), "ACPI_EN is still clear");
        l.memoryWrite(lpc + 0x44, 1, 0x80);
        List<RangeChange> pm = l.drain();
        assertEquals(6, pm.size());
        assertEquals(new RangeChange(true, RangeType.PORT, 0x660, 0x67F, "sm-tco"), pm.get(5));
        assertEquals(LPC, Pci.sbdf(0, 0, 0x1F, 0));
    }
}
