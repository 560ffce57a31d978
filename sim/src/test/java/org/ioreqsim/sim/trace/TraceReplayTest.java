package org.ioreqsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays the real traces under src/test/resources/traces (docs/traces.md says how each was made).
 * Routes and counts are deterministic; only how many VGA writes fell back to synchronous sends (ring
 * full) depends on timing, so buffered counts are bounded, not pinned.
 */
class TraceReplayTest {

    static Path resource(String name) {
        try {
            return Path.of(TraceReplayTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static TraceReport replay(String trace, String layout) {
        QemuTrace t = QemuTraceReader.read(resource("traces/" + trace));
        try (TraceReplay r = new TraceReplay(t, LayoutLoader.load(layout, t), 1)) {
            return r.run();
        }
    }

    @Test
    void seabiosOnQ35WithAnUnlistedDeviceShowsTheNullHandlersReads() {
        TraceReport r = replay("seabios-q35-virtio-rng.qemu-trace.log.gz", "qemu-q35");
        assertEquals(3977, r.lines());
        assertEquals(3977, r.events());
        assertEquals(3976, r.replayed());
        assertEquals(1, r.deviceOriginated());
        assertEquals(0, r.otherLines());
        assertEquals(Map.of("null", 263L, "server-1-0", 3006L, "xen-elcr", 2L, "xen-pit", 3L, "xen-rtc", 440L,
                "xen-vlapic", 7L, "xen-vpic", 255L), r.routes());
        TraceReport.RegionReport cfg = r.byRegion().get("pci-conf-data");
        assertEquals(Map.of("null", 107L, "server-1-0", 58L), cfg.routes());
        assertEquals(11, cfg.valueMismatches(), "config reads of the virtio-rng at 00:05.0, which the preset lacks");
        assertEquals(11, r.valueMismatches());
        assertEquals(new TraceReport.Mismatch(259, 0, "0xcfc", 2, "0x1af4", "0xffff", "null"),
                cfg.mismatchExamples().get(0));
        assertEquals(Map.of("null", 156L, "server-1-0", 4L), r.byRegion().get("io").routes());
        assertEquals(Map.of("xen-vpic", 255L), r.byRegion().get("pic").routes());
        assertEquals(Map.of("server-1-0", 968L), r.byRegion().get("acpi-tmr").routes(), "PMBASE mapped by ICH9");
        assertEquals(Map.of("server-1-0", 220L), r.byRegion().get("pcie-mmcfg-mmio").routes());
        assertEquals(1, r.byRegion().get("apic-msi").deviceOriginated());
        assertEquals(0, r.listenerFailures());
        assertEquals(0, r.answerMisses());
    }

    /** Ctrl-C: the replay issues no further access and reports the ones replayed, marked as interrupted. */
    @Test
    void aStoppedReplayReportsWhatItReplayed() {
        TraceReport r;
        QemuTrace trace = QemuTraceReader.read(resource("traces/seabios-q35-virtio-rng.qemu-trace.log.gz"));
        try (TraceReplay replay = new TraceReplay(trace, LayoutLoader.load("qemu-q35"), 1)) {
            replay.requestStop();
            r = replay.run();
        }
        assertTrue(r.interrupted());
        assertEquals(0, r.replayed(), "stopped before the first access");
        assertTrue(r.render().startsWith("INTERRUPTED: replayed 0 accesses"), r.render());
        assertTrue(TraceReportPage.html(r).contains("INTERRUPTED"));
        assertFalse(replay("seabios-q35-virtio-rng.qemu-trace.log.gz", "qemu-q35").interrupted());
    }

    @Test
    void aLayoutWithTheDeviceHasNoMismatch() {
        TraceReport r = replay("seabios-q35-virtio-rng.qemu-trace.log.gz",
                resource("layouts/q35-virtio-rng.conf").toString());
        assertEquals("q35-virtio-rng", r.layout());
        assertEquals(0, r.valueMismatches());
        assertEquals(Map.of("null", 96L, "server-1-0", 69L), r.byRegion().get("pci-conf-data").routes());
    }

    @Test
    void seabiosOnI440fxBuffersVgaWritesAndMatchesEveryRead() {
        TraceReport r = replay("seabios-i440fx-smp2-vga.qemu-trace.log.gz", "qemu-i440fx");
        assertEquals(42166, r.replayed());
        assertEquals(0, r.valueMismatches());
        assertEquals(1408, r.readsCompared());
        assertEquals(548, r.readsXenAssumed());
        TraceReport.RegionReport vga = r.byRegion().get("vga-lowmem");
        assertEquals(Map.of("server-1-0", 37052L), vga.routes());
        assertTrue(vga.buffered() > 30000 && vga.buffered() <= 37052, "buffered " + vga.buffered());
        assertEquals(Map.of("null", 725L, "server-1-0", 4L), r.byRegion().get("io").routes());
        assertEquals(Map.of("server-1-0", 256L), r.byRegion().get("edid").routes(), "VGA BAR2 mapped by SeaBIOS");
    }

    @Test
    void linuxOnFourVcpusMatchesEveryRead() {
        TraceReport r = replay("linux-q35-smp4.qemu-trace.log.gz", "qemu-q35");
        assertEquals(4, r.vcpus());
        assertEquals(94804, r.events());
        assertEquals(70, r.deviceOriginated());
        assertEquals(0, r.valueMismatches());
        assertEquals(Map.of("DONE", 94734L), r.outcomes());
        assertEquals(Map.of("null", 25109L, "server-1-0", 30514L, "xen-elcr", 2L, "xen-hpet", 8004L, "xen-pit",
                25336L, "xen-rtc", 506L, "xen-speaker", 2L, "xen-vioapic", 463L, "xen-vlapic", 4701L, "xen-vpic",
                97L), r.routes());
        assertEquals(Map.of("null", 24886L, "server-1-0", 469L), r.byRegion().get("pci-conf-data").routes());
        assertEquals(0, r.listenerFailures());
    }
}
