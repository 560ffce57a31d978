package org.ioreqsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Route;
import org.junit.jupiter.api.Test;

/**
 * A real trace replayed before the seed (QEMU on the default server) and at it. The seed removed the
 * default server (spec 14): what no server claims now ends in the null handler (spec 5.1, 6 step 5)
 * instead of the default server, which answered with the recorded value. Routes and values are
 * deterministic; only buffered counts depend on timing, and this trace has no VGA writes.
 */
class TraceDiffTest {

    /** The q35 preset's diff, computed once: two replays of the trace. */
    private static TraceDiffReport q35;

    static synchronized TraceDiffReport q35() {
        if (q35 == null) {
            q35 = diff("qemu-q35");
        }
        return q35;
    }

    static TraceDiffReport diff(String layout) {
        return TraceDiff.run(QemuTraceReader.read(TraceReplayTest.resource(
                "traces/seabios-q35-virtio-rng.qemu-trace.log.gz")), LayoutLoader.load(layout), 1);
    }

    static TraceDiffReport.Transition row(TraceDiffReport r, String region, String kind, String now) {
        return r.byRegion().get(region).transitions().stream()
                .filter(t -> t.kind().equals(kind) && t.now().equals(now)).findFirst().orElseThrow();
    }

    @Test
    void readsOfAnAbsentDeviceGetTheRecordedValueBeforeAndAllOnesNow() {
        TraceDiffReport r = q35();
        assertEquals(3976, r.replayed());
        assertEquals(Map.of("same", 707L, "default-to-server", 3006L, "default-to-null", 263L, "other", 0L),
                r.byChange());
        assertEquals(3269, r.changed());
        // Spec 6 step 3: CF8 bit 31 set makes a 0xCFC access a PCI config cycle, matched by SBDF only. The
        // q35 preset has no 00:05.0 (the virtio-rng), so at the seed its config reads go to the null handler.
        TraceDiffReport.Transition cfg = row(r, "pci-conf-data", "pci-config-read", "null");
        assertEquals(new TraceDiffReport.Transition("pci-config-read", "server-1-0 (default)", "null",
                "default-to-null", 107, 107, 107, 11, 0, 0, List.of(
                    new TraceDiffReport.ValueChange(259, 0, "0xcfc", 2, "0x1af4", "0x1af4", "0xffff"),
                    new TraceDiffReport.ValueChange(261, 0, "0xcfe", 2, "0xff", "0xff", "0xffff"),
                    new TraceDiffReport.ValueChange(263, 0, "0xcfe", 1, "0x0", "0x0", "0xff"))), cfg);
        assertEquals(11, r.valuesChanged(), "only the virtio-rng's config reads change value");
        assertEquals(11, r.byKind().get("pci-config-read").valuesChanged());
        // QEMU's unassigned I/O answers all ones itself, so the null handler's all ones change no value.
        TraceDiffReport.Transition io = row(r, "io", "port-read", "null");
        assertEquals(6, io.reads());
        assertEquals(0, io.valuesChanged());
        // Functions the preset has: QEMU registered their SBDFs, so they moved to its own server.
        assertEquals(53, row(r, "pci-conf-data", "pci-config-read", "server-1-0").count());
        assertEquals("default-to-server", row(r, "ahci", "mmio-read", "server-1-0").change());
    }

    @Test
    void accessesXensInternalEmulatorsTakeAreUnchanged() {
        TraceDiffReport r = q35();
        // Spec 5 steps 6-7: internal intercepts run before server selection, with or without a default server.
        for (String region : List.of("rtc-index", "rtc", "pic", "pit", "elcr")) {
            TraceDiffReport.RegionDiff d = r.byRegion().get(region);
            assertEquals(0, d.changed(), region);
            assertTrue(d.transitions().stream().allMatch(t -> t.change().equals("same")
                    && t.before().equals(t.now()) && t.now().startsWith("xen-")), region);
        }
        assertEquals(415, r.byRegion().get("rtc-index").byChange().get("same"));
    }

    @Test
    void theDefaultServerAnswersEveryReadWithTheRecordedValueAndRegistersNothing() {
        TraceDiffReport r = q35();
        assertEquals(0, r.before().valueMismatches(), "the replay device behind the default server answers the trace");
        assertEquals(0, r.before().listenerDmOps(), "QEMU's listener registers nothing on the default server");
        assertEquals(Map.of("server-1-0 (default)", 3269L, "xen-elcr", 2L, "xen-pit", 3L, "xen-rtc", 440L,
                "xen-vlapic", 7L, "xen-vpic", 255L), r.before().routes());
        assertEquals(11, r.now().valueMismatches());
        assertEquals(Map.of("DONE", 3976L), r.before().outcomes());
        assertEquals(0, r.before().answerMisses());
    }

    @Test
    void withALayoutThatHasTheDeviceNoValueChanges() {
        TraceDiffReport r = diff(TraceReplayTest.resource("layouts/q35-virtio-rng.conf").toString());
        assertEquals(0, r.valuesChanged());
        assertEquals(96, row(r, "pci-conf-data", "pci-config-read", "null").count());
    }

    @Test
    void aCfgCycleNeedsA4ByteCf8WriteWithBit31() {
        long cf8 = 0;
        TraceAccess data = access(IoDirection.READ, 0xCFE, 2);
        assertEquals(TraceDiff.Kind.PORT_READ, TraceDiff.kind(data, cf8), "CF8 bit 31 clear: an ordinary port");
        cf8 = TraceDiff.latch(new TraceAccess(1, 0, IoDirection.WRITE, 0xCF8, 0x8000_2800L, 2, "pci-conf-idx"), cf8);
        assertEquals(0, cf8, "a 2-byte write does not latch (spec 6.1)");
        cf8 = TraceDiff.latch(new TraceAccess(1, 0, IoDirection.WRITE, 0xCF8, 0x8000_2800L, 4, "pci-conf-idx"), cf8);
        assertEquals(TraceDiff.Kind.PCI_CONFIG_READ, TraceDiff.kind(data, cf8));
        assertEquals(TraceDiff.Kind.PORT_WRITE, TraceDiff.kind(access(IoDirection.WRITE, 0xCF8, 4), cf8));
        assertEquals(TraceDiff.Kind.MMIO_READ, TraceDiff.kind(access(IoDirection.READ, 0xE000_0000L, 4), cf8));
        assertEquals("server-1-0 (default)", TraceDiff.label(Route.server(1, 0), true));
        assertEquals("server-1-0", TraceDiff.label(Route.server(1, 0), false));
        assertEquals("null", TraceDiff.label(Route.NULL_HANDLER, true));
    }

    static TraceAccess access(IoDirection dir, long addr, int size) {
        return new TraceAccess(1, 0, dir, addr, 0, size, "r");
    }
}
