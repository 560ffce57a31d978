package org.ioreqsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.Pci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --layout auto} (docs/traces.md): the emulator claims what the traced machine had. An access the
 * trace shows in QEMU's unassigned I/O ({@code io}) is claimed by no server, so Xen sends it to the null
 * handler (spec 5.1, 6 step 5); regions and PCI functions the machine had are claimed.
 */
class AutoLayoutTest {

    static QemuTrace trace(String... lines) throws IOException {
        return QemuTraceReader.read("t.log", new ByteArrayInputStream((String.join("\n", lines) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    static String access(String dir, long addr, long value, int size, String name) {
        return "memory_region_ops_" + dir + " cpu 0 mr 0x1 addr 0x" + Long.toHexString(addr) + " value 0x"
                + Long.toHexString(value) + " size " + size + " name '" + name + "'";
    }

    @Test
    void aPresetRegionTheTraceShowsUnassignedIsDroppedAndAnUnknownDeviceIsClaimedWhereItWasAccessed()
            throws IOException {
        QemuTrace t = trace(access("write", 0x3f8, 0x41, 1, "io"), access("read", 0x3fd, 0xffffffffffffffffL, 1, "io"),
                access("write", 0x300, 1, 1, "mydev"), access("read", 0x301, 7, 2, "mydev"),
                access("read", 0xfebf0000L, 3, 4, "mymmio"), access("write", 0x2f8, 1, 1, "serial"));
        TraceLayout l = AutoLayout.derive(t);
        assertEquals("auto", l.name());
        assertTrue(l.ports().stream().noneMatch(r -> r.start() == 0x3f8), "COM1 at 0x3f8 was unassigned");
        assertTrue(l.ports().contains(new FixedRegion("mydev", 0x300, 3)), l.ports().toString());
        assertTrue(l.ports().contains(new FixedRegion("serial", 0x2f8, 1)), "a COM2 the preset lacks");
        assertTrue(l.mmio().contains(new FixedRegion("mymmio", 0xfebf0000L, 4)), l.mmio().toString());
        assertTrue(l.notes().stream().anyMatch(n -> n.startsWith("dropped port region serial 0x3f8-0x3ff")), l.notes()
                .toString());
        assertEquals(List.of(), UnassignedClaims.of(t, l));
        TraceLayout preset = LayoutLoader.preset("qemu-i440fx");
        assertEquals(List.of(new TraceReport.UnassignedClaim("serial", "port", "0x3f8", "0x3ff", 2)),
                UnassignedClaims.of(t, preset), "the preset claims the serial port the machine did not have");
    }

    @Test
    void pciFunctionsFollowTheirConfigReads() throws IOException {
        long cf8 = Pci.cf8Address(Pci.sbdf(0, 0, 3, 0), 0);
        long cf8Rng = Pci.cf8Address(Pci.sbdf(0, 0, 5, 0), 0);
        QemuTrace t = trace(access("write", 0xcf8, cf8, 4, "pci-conf-idx"),
                access("read", 0xcfc, 0xffff, 2, "pci-conf-data"),
                access("write", 0xcf8, cf8Rng, 4, "pci-conf-idx"),
                access("read", 0xcfc, 0x1af4, 2, "pci-conf-data"));
        TraceLayout l = AutoLayout.derive(t);
        assertFalse(l.pci().stream().anyMatch(f -> f.sbdf() == Pci.sbdf(0, 0, 3, 0)), "the e1000 answered 0xffff");
        assertTrue(l.pci().stream().anyMatch(f -> f.sbdf() == Pci.sbdf(0, 0, 5, 0) && f.windows().isEmpty()));
        assertTrue(UnassignedClaims.of(t, LayoutLoader.preset("qemu-i440fx")).contains(
                new TraceReport.UnassignedClaim("e1000", "pci", "00:03.0", "00:03.0", 0)));
    }

    @Test
    void theClosestPresetGivesXensEmulators() throws IOException {
        assertEquals("qemu-q35", AutoLayout.closestPreset(trace(access("read", 0xcf9, 0, 1, "lpc-reset-control"),
                access("read", 0xb0000000L, 0x8086, 2, "pcie-mmcfg-mmio"))).name());
        assertEquals("qemu-i440fx", AutoLayout.closestPreset(trace(access("read", 0x1f0, 0, 1, "ide"))).name());
    }

    /** QEMU's unassigned memory answers 0 without Xen; under Xen the null handler's all ones say the same. */
    @Test
    void unassignedReadsGoToTheNullHandlerWithoutAMismatch() throws IOException {
        QemuTrace t = trace(access("read", 0xfebff000L, 0, 4, "unassigned"),
                access("read", 0x3f8, 0xffffffffffffffffL, 1, "io"));
        TraceReport r;
        try (TraceReplay replay = new TraceReplay(t, AutoLayout.derive(t), 1)) {
            r = replay.run();
        }
        assertEquals(Map.of("null", 1L), r.byRegion().get("unassigned").routes());
        assertEquals(Map.of("null", 1L), r.byRegion().get("io").routes());
        assertEquals(2, r.readsCompared());
        assertEquals(0, r.valueMismatches());
    }

    /** The shipped traces under auto: every line accounted for, no mismatch, nothing unassigned routed to a server. */
    @ParameterizedTest
    @ValueSource(strings = {"seabios-q35-virtio-rng.qemu-trace.log.gz", "seabios-i440fx-smp2-vga.qemu-trace.log.gz",
        "linux-q35-smp4.qemu-trace.log.gz"})
    void shippedTracesReplayUnderAuto(String file) {
        TraceReport r = TraceReplayTest.replay(file, "auto");
        assertEquals("auto", r.layout());
        assertEquals(r.lines(), r.events() + r.otherLines());
        assertEquals(r.events(), r.replayed() + r.deviceOriginated());
        assertEquals(0, r.valueMismatches());
        assertEquals(0, r.answerMisses());
        assertEquals(0, r.listenerFailures());
        assertEquals(List.of(), r.unassignedClaimed());
        assertFalse(r.layoutNotes().isEmpty());
        Map<String, Long> io = r.byRegion().get("io").routes();
        assertEquals(Map.of("null", r.byRegion().get("io").count()), io, "QEMU's unassigned I/O goes to the null handler");
    }

    @Test
    void theVirtioRngTraceGetsItsFunctionAndLosesTheParallelPortItLacked() {
        TraceReport r = TraceReplayTest.replay("seabios-q35-virtio-rng.qemu-trace.log.gz", "auto");
        assertTrue(r.layoutNotes().contains("added PCI function 00:05.0 (config space only): vendor ID 0x1af4"),
                r.layoutNotes().toString());
        assertTrue(r.layoutNotes().contains("dropped port region parallel 0x378-0x37f: the trace shows 4 access(es) "
                + "there unassigned"), r.layoutNotes().toString());
        TraceReport preset = TraceReplayTest.replay("seabios-q35-virtio-rng.qemu-trace.log.gz", "qemu-q35");
        assertTrue(preset.unassignedClaimed().contains(new TraceReport.UnassignedClaim("parallel", "port", "0x378",
                "0x37f", 4)), preset.unassignedClaimed().toString());
        assertTrue(preset.render().contains("layout claims port 0x378-0x37f (parallel), where the trace shows 4 "
                + "unassigned access(es)"), preset.render());
    }
}
