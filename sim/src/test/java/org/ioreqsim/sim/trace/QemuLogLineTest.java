package org.ioreqsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ioreqsim.ioreq.IoDirection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QemuLogLineTest {

    @Test
    void plainLineIsAnAccess() {
        QemuLogLine.Parsed p = QemuLogLine.parse(
                "memory_region_ops_read cpu 0 mr 0x55daa1b05bd0 addr 0x71 value 0x0 size 1 name 'rtc'", 7);
        assertEquals(new TraceAccess(7, 0, IoDirection.READ, 0x71, 0, 1, "rtc"),
                assertInstanceOf(QemuLogLine.Access.class, p).access());
    }

    @Test
    void timestampedLineWithSpacesInTheNameIsAnAccess() {
        QemuLogLine.Parsed p = QemuLogLine.parse("8809@1795937628.138090:memory_region_ops_write cpu 3 mr 0x562dd01d4680"
                + " addr 0xfebf0500 value 0xffffffffffffffff size 2 name 'bochs dispi interface'\r", 12);
        TraceAccess a = assertInstanceOf(QemuLogLine.Access.class, p).access();
        assertEquals(new TraceAccess(12, 3, IoDirection.WRITE, 0xFEBF0500L, -1L, 2, "bochs dispi interface"), a);
        assertEquals(0xFFFF, a.maskedValue());
        assertTrue(!a.isPortIo());
    }

    @Test
    void deviceOriginatedLineKeepsCpuMinusOne() {
        TraceAccess a = assertInstanceOf(QemuLogLine.Access.class, QemuLogLine.parse(
                "memory_region_ops_write cpu -1 mr 0x5 addr 0xfee00000 value 0x0 size 4 name 'apic-msi'", 1)).access();
        assertTrue(a.isDeviceOriginated());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "8809@1795937628.139291:pci_cfg_write i440FX 00:00.0 @0x58 <- 0x33333000 | pci_cfg_write",
        "memory_region_subpage_read cpu 0 mr 0x5 offset 0x0 value 0x0 size 4 | memory_region_subpage_read",
        "qemu-system-x86_64: terminating on signal 15 from pid 10083 (timeout) | text",
        "'  ' | blank",
    })
    void otherLinesAreClassified(String line, String kind) {
        assertEquals(new QemuLogLine.Other(kind), QemuLogLine.parse(line.equals("  ") ? "" : line, 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "memory_region_ops_read | no fields after the event name",
        "memory_region_ops_read cpu x mr 0x5 addr 0x70 value 0x0 size 1 name 'rtc' | bad cpu 'x'",
        "memory_region_ops_read cpu 0 mr 0x5 addr 70 value 0x0 size 1 name 'rtc' | bad addr '70'",
        "memory_region_ops_write cpu 0 mr 0x5 addr 0x70 val | expected 'value' at column 48",
        "memory_region_ops_read cpu 0 mr 0x5 addr 0x70 value 0x0 size 3 name 'rtc' | size 3 is not 1, 2, 4 or 8",
        "memory_region_ops_read cpu 0 mr 0x5 addr 0x70 value 0x0 size 8 name 'rtc' | size 8 at port 0x70",
        "memory_region_ops_read cpu 0 mr 0x5 addr 0x70 value 0x11112222333344445 size 1 name 'r' | bad value",
        "memory_region_ops_read cpu 0 mr 0x5 addr 0x70 value 0x0 size 1 name rtc | expected name '...'",
    })
    void malformedLinesSayWhy(String line, String reason) {
        QemuLogLine.Malformed m = assertInstanceOf(QemuLogLine.Malformed.class, QemuLogLine.parse(line, 1));
        assertTrue(m.reason().startsWith(reason), m.reason());
    }
}
