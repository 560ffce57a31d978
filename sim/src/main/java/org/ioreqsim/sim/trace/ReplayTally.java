package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.device.IoDevice;
import org.ioreqsim.vcpu.Outcome;

/**
 * What replay saw, counted per trace region as accesses complete. Owned by the replay driver. A read is
 * compared when it ended in a server or the null handler; a read Xen's own emulator answered is taken
 * to have returned the recorded value (Xen's device is a model of the same hardware), so it is counted
 * as {@code xenAssumed} and never as a mismatch. A read the trace shows in QEMU's unassigned memory
 * ({@code unassigned}, which answers 0 when QEMU runs without Xen) that the null handler answers is
 * compared against all ones: the same "no device here" as the same machine shows under Xen.
 */
final class ReplayTally {
    /** Examples kept per region. */
    static final int EXAMPLES = 3;
    /** QEMU's region for memory no device claims ({@code io_mem_unassigned}). */
    static final String UNASSIGNED_MEMORY = "unassigned";

    /** One region's counters. */
    static final class Region {
        long count;
        long reads;
        long writes;
        long buffered;
        long valueMismatches;
        long xenAssumed;
        long compared;
        long notDone;
        final Map<String, Long> routes = new TreeMap<>();
        final List<TraceReport.Mismatch> examples = new ArrayList<>();
    }

    private final List<String> names;
    private final Region[] regions;
    /** Every access's outcome, when a diff asked for it; else {@code null}. */
    private final ReplayLog log;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private final List<String> registrationErrors = new ArrayList<>();
    private long registrations;
    private volatile long completedAccesses;
    private long registrationFailures;

    ReplayTally(List<String> names, ReplayLog log) {
        this.names = List.copyOf(names);
        this.log = log;
        this.regions = new Region[names.size()];
        for (int i = 0; i < regions.length; i++) {
            regions[i] = new Region();
        }
    }

    /** Access number {@code index} of the trace, {@code a}, of region {@code regionId}, ended with {@code o}. */
    void completed(int index, TraceAccess a, int regionId, Outcome o) {
        completedAccesses++;
        if (log != null) {
            log.record(index, o);
        }
        Region r = regions[regionId];
        r.count++;
        outcomes.merge(o.kind().name(), 1L, Long::sum);
        String route = o.route() == Route.NOWHERE ? "none" : o.route().key();
        r.routes.merge(route, 1L, Long::sum);
        if (o.buffered()) {
            r.buffered++;
        }
        if (a.isRead()) {
            r.reads++;
        } else {
            r.writes++;
        }
        if (o.kind() != Outcome.Kind.DONE) {
            r.notDone++;
            return;
        }
        if (!a.isRead()) {
            return;
        }
        if (o.route().kind() == Route.Kind.XEN) {
            r.xenAssumed++;
            return;
        }
        r.compared++;
        long sim = IoDevice.truncate(o.value(), a.size());
        long expected = o.route() == Route.NULL_HANDLER && UNASSIGNED_MEMORY.equals(a.region())
                ? IoDevice.truncate(-1L, a.size()) : a.maskedValue();
        if (sim != expected) {
            r.valueMismatches++;
            if (r.examples.size() < EXAMPLES) {
                r.examples.add(TraceReport.Mismatch.of(a, sim, route));
            }
        }
    }

    void registered(RangeChange c, String error) {
        registrations++;
        if (error == null) {
            return;
        }
        registrationFailures++;
        if (registrationErrors.size() < 20) {
            registrationErrors.add(c.describe() + ": " + error);
        }
    }

    /** Accesses completed so far; read by the thread showing progress (one writer: the replayer). */
    long completedAccesses() {
        return completedAccesses;
    }

    long registrations() {
        return registrations;
    }

    long registrationFailures() {
        return registrationFailures;
    }

    List<String> registrationErrors() {
        return List.copyOf(registrationErrors);
    }

    Map<String, Long> outcomes() {
        return new TreeMap<>(outcomes);
    }

    /** The regions in trace order of first appearance. */
    Map<String, Region> byRegion() {
        Map<String, Region> out = new LinkedHashMap<>();
        for (int i = 0; i < regions.length; i++) {
            out.put(names.get(i), regions[i]);
        }
        return out;
    }
}
