package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What replaying one trace showed: the JSON of {@code trace --json} field for field, and the console
 * table. Every line of the file is accounted for: {@code lines = events + otherLines} and
 * {@code events = replayed + deviceOriginated}; per region, {@code count} accesses were replayed and
 * {@code deviceOriginated} were not.
 *
 * @param file                     the trace file
 * @param layout                   the layout's name
 * @param seed                     the run's seed (replay draws no random numbers)
 * @param vcpus                    vCPUs of the replay domain, one per distinct cpu index
 * @param vcpuOfCpu                trace cpu index to vCPU id
 * @param lines                    lines in the file
 * @param events                   memory_region_ops_read/write lines
 * @param replayed                 events made by a vCPU, replayed in trace order
 * @param deviceOriginated         events with cpu -1 (DMA, device MSIs), counted only
 * @param otherLines               lines that are not such events
 * @param otherLinesByKind         those by kind: another trace event's name, {@code text}, {@code blank}
 * @param reads                    replayed reads
 * @param readsCompared            reads whose sim value was compared (server or null handler)
 * @param readsXenAssumed          reads answered by Xen's own emulators, assumed to match
 * @param valueMismatches          compared reads whose sim value differs from the recorded one
 * @param routes                   replayed accesses by route ({@code server-<domid>-<id>}, {@code xen-<device>},
 *                                 {@code null})
 * @param buffered                 writes that went into the buffered ring (stdvga)
 * @param outcomes                 replayed accesses by how they ended (DONE, GP_FAULT, DOMAIN_CRASHED, ...)
 * @param listenerDmOps            map/unmap dm_ops QEMU's listener issued as the guest programmed windows
 * @param listenerFailures         those Xen refused
 * @param listenerErrors           the first 20 of them
 * @param answerMisses             reads a replay device was asked that were not the access being replayed
 *                                 (none while routing is consistent: a sanity check of the model)
 * @param elapsedSeconds           wall time of the replay
 * @param byRegion                 per trace region, most accessed first
 * @param interrupted              stopped early (Ctrl-C): {@code replayed} counts the accesses replayed
 * @param layoutNotes              how {@code --layout auto} derived the layout (empty for a preset or a file)
 * @param unassignedClaimed        the layout's regions and PCI functions that claim what the trace shows QEMU did
 *                                 not have (accesses in QEMU's unassigned {@code io}, functions answering
 *                                 as absent): under Xen those go to the null handler; empty for {@code auto}
 */
public record TraceReport(String file, String layout, long seed, int vcpus, Map<String, Integer> vcpuOfCpu,
                          long lines, long events, long replayed, long deviceOriginated, long otherLines,
                          Map<String, Long> otherLinesByKind, long reads, long readsCompared, long readsXenAssumed,
                          long valueMismatches, Map<String, Long> routes, long buffered, Map<String, Long> outcomes,
                          long listenerDmOps, long listenerFailures, List<String> listenerErrors,
                          long answerMisses, double elapsedSeconds,
                          Map<String, RegionReport> byRegion, boolean interrupted, List<String> layoutNotes,
                          List<UnassignedClaim> unassignedClaimed) {

    /**
     * A layout region that claims what the trace shows unassigned.
     *
     * @param region   the layout's name for it
     * @param space    {@code port}, {@code mmio} or {@code pci}
     * @param start    first address (for pci: the function)
     * @param end      last address (for pci: the function)
     * @param accesses the trace's unassigned accesses inside it (0 for a PCI function)
     */
    public record UnassignedClaim(String region, String space, String start, String end, long accesses) {
    }

    /**
     * One trace region.
     *
     * @param count            replayed accesses
     * @param reads            of which reads
     * @param writes           of which writes
     * @param routes           where they were handled
     * @param buffered         writes that went buffered
     * @param valueMismatches  reads whose sim value differs from the recorded one
     * @param xenAssumed       reads Xen's own emulators answered (not compared)
     * @param notCompleted     accesses that did not end DONE (#GP, crash)
     * @param deviceOriginated cpu -1 events of this region (not replayed)
     * @param mismatchExamples the first few mismatches
     */
    public record RegionReport(long count, long reads, long writes, Map<String, Long> routes, long buffered,
                               long valueMismatches, long xenAssumed, long notCompleted, long deviceOriginated,
                               List<Mismatch> mismatchExamples) {
    }

    /** One read whose sim value differs from the recorded one. */
    public record Mismatch(long line, int cpu, String addr, int size, String recorded, String sim, String route) {
        static Mismatch of(TraceAccess a, long sim, String route) {
            return new Mismatch(a.line(), a.cpu(), hex(a.addr()), a.size(), hex(a.maskedValue()), hex(sim), route);
        }
    }

    static TraceReport of(QemuTrace trace, TraceLayout layout, long seed, Map<String, Integer> vcpuOfCpu,
                          ReplayTally tally, long answerMisses, double elapsedSeconds, boolean interrupted) {
        Map<String, Long> device = trace.deviceOriginatedByRegion();
        List<Map.Entry<String, ReplayTally.Region>> entries = new ArrayList<>(tally.byRegion().entrySet());
        for (String name : device.keySet()) {
            if (tally.byRegion().get(name) == null) {
                entries.add(Map.entry(name, new ReplayTally.Region()));
            }
        }
        entries.sort(Comparator.comparingLong((Map.Entry<String, ReplayTally.Region> e) -> -e.getValue().count)
                .thenComparing(Map.Entry::getKey));
        Map<String, RegionReport> byRegion = new LinkedHashMap<>();
        Map<String, Long> routes = new TreeMap<>();
        long reads = 0;
        long compared = 0;
        long assumed = 0;
        long mismatches = 0;
        long buffered = 0;
        for (Map.Entry<String, ReplayTally.Region> e : entries) {
            ReplayTally.Region r = e.getValue();
            byRegion.put(e.getKey(), new RegionReport(r.count, r.reads, r.writes, Collections.unmodifiableMap(new TreeMap<>(r.routes)), r.buffered,
                    r.valueMismatches, r.xenAssumed, r.notDone, device.getOrDefault(e.getKey(), 0L),
                    List.copyOf(r.examples)));
            r.routes.forEach((k, v) -> routes.merge(k, v, Long::sum));
            reads += r.reads;
            compared += r.compared;
            assumed += r.xenAssumed;
            mismatches += r.valueMismatches;
            buffered += r.buffered;
        }
        return new TraceReport(trace.file(), layout.name(), seed, vcpuOfCpu.size(), vcpuOfCpu, trace.lines(),
                trace.events(), interrupted ? tally.completedAccesses() : trace.accesses(), trace.deviceOriginated(), trace.otherLines(),
                trace.otherLinesByKind(), reads, compared, assumed, mismatches, routes, buffered, tally.outcomes(),
                tally.registrations(), tally.registrationFailures(), tally.registrationErrors(), answerMisses, elapsedSeconds,
                byRegion, interrupted, layout.notes(), UnassignedClaims.of(trace, layout));
    }

    /** The console table. */
    public String render() {
        return TraceReportTable.render(this);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
