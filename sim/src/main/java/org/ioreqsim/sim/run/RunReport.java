package org.ioreqsim.sim.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.ioreqsim.domain.DomainSnapshot;
import org.ioreqsim.domain.ServerSnapshot;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.EmulatorStats;
import org.ioreqsim.sim.NaturalOrder;
import org.ioreqsim.sim.exec.DeterministicActors;
import org.ioreqsim.sim.scenario.Scenario;

/**
 * What one simulation run reports: the JSON of {@code run --json} field for field, and the console
 * summary.
 *
 * @param seed             the run's seed
 * @param config           the scenario that ran
 * @param ioreqs           operation counts
 * @param elapsedSeconds   run time from the first vCPU start to the end of the run (stall grace included)
 * @param throughputPerSec completed operations per second over the steady-state window ({@link Timing})
 * @param timing           the clock the run used and how its time splits
 * @param latencyMicros    per-operation latency percentiles, microseconds
 * @param servers          per-server load, keyed {@code server-<domid>-<id>}
 * @param fairness         per group of identical guests, how evenly they were served
 * @param eventChannel     event-channel counters over every emulator port
 * @param findings         hazards the model recorded, per domain, repeats counted
 * @param emulatorFailures emulators that failed during the run
 * @param events           the scenario's lifecycle events: when each fired and what Xen answered
 * @param stalledVcpus     vCPUs the run ended without (blocked on an ioreq nobody will answer, or paused)
 * @param timeline         completions over time
 * @param latencyHistogram latencies in doubling buckets
 */
public record RunReport(long seed, Map<String, Object> config, Ioreqs ioreqs, double elapsedSeconds,
                        double throughputPerSec, Timing timing, Latency latencyMicros, Map<String, ServerLoad> servers,
                        List<Fairness.Group> fairness, EventChannelCounts eventChannel, List<String> findings, List<String> emulatorFailures,
                        List<LifecycleEvent> events, List<String> stalledVcpus, List<TimelinePoint> timeline,
                        List<LatencyBucket> latencyHistogram) {

    /**
     * A lifecycle event of the scenario: its trigger ({@code at 500ms}, {@code after 2,000 completed}), when
     * it fired (seconds from the vCPUs' start on the run's clock; null if the run ended first), on what,
     * and Xen's answer.
     */
    public record LifecycleEvent(Double atSeconds, String trigger, String action, String target, String result) {
    }

    /**
     * How a run's time splits, on its clock.
     *
     * @param clock              {@code wall-clock} (a free run: figures vary from run to run) or
     *                           {@code simulated} (a deterministic run: the same figures every time)
     * @param endedBy            {@code done} (every workload finished its requests or reached the
     *                           duration), {@code stalled} (the vCPUs left can make no progress) or
     *                           {@code interrupted} (Ctrl-C: the figures cover the run until then)
     * @param elapsedSeconds     from the first vCPU start to the end of the run
     * @param activeSeconds      to the last completion seen (sampled every 200 ms of run time)
     * @param stallGraceSeconds  after that, waiting before the run declared its remaining vCPUs stalled
     * @param warmupSeconds      the start of the active time left out of the steady state
     * @param steadyStateSeconds the window the headline throughput is measured over
     * @param steadyPerSec       completions per second in that window (the headline throughput)
     * @param overallPerSec      completions per second over the whole active time, warm-up included
     */
    public record Timing(String clock, String endedBy, double elapsedSeconds, double activeSeconds, double stallGraceSeconds,
                         double warmupSeconds, double steadyStateSeconds, double steadyPerSec, double overallPerSec) {
    }

    /** What the server table counts, and how it relates to the route table. */
    public static final String SERVER_COUNTS = "sync reqs: synchronous ioreqs the emulator answered; buffered: writes Xen "
            + "put into its ring. The route table counts each operation a guest completed once, where it was handled, so "
            + "a server's route count = sync reqs + buffered, less the broadcasts it received (an RTC time offset goes "
            + "into every ring, an invalidate to every server; the route table counts each once as 'broadcast'), and "
            + "less the extra requests of rep accesses that took several.";

    /** Servers listed in the console summary; the JSON has every one. */
    private static final int MAX_SERVER_ROWS = 20;

    /** Completed operations at one moment of the run, and the rate since the previous point. */
    public record TimelinePoint(double seconds, long completed, double perSecond) {
    }

    /** Operations whose latency fell in (previous bucket, {@code upToMicros}]. */
    public record LatencyBucket(double upToMicros, long count) {
    }

    /**
     * @param issued               operations started
     * @param completed            operations finished
     * @param byRoute              completions by where they were handled
     * @param byOutcome            completions by how they ended
     * @param buffered             writes that went into a buffered ring
     * @param bufferedFallbackSync buffered writes sent synchronously because the ring was full
     * @param bufferedLost         buffered slots lost unread when a server was disabled (gfn page) or destroyed
     */
    public record Ioreqs(long issued, long completed, Map<String, Long> byRoute, Map<String, Long> byOutcome,
                         long buffered, long bufferedFallbackSync, long bufferedLost) {
    }

    public record Latency(double p50, double p90, double p99, double p999, double max, double mean) {
        /** The percentiles of {@code h} (nanoseconds), in microseconds. */
        public static Latency of(Histogram h) {
            return new Latency(us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)),
                    us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()),
                    Math.round(h.getMean() / 10.0) / 100.0);
        }

        private static double us(long nanos) {
            return Math.round(nanos / 10.0) / 100.0;
        }
    }

    /**
     * One server's load, from its emulator and from Xen's buffered counters.
     *
     * @param requests             synchronous requests answered
     * @param bufferedSubmitted    writes Xen put into the ring
     * @param bufferedDelivered    writes the emulator drained and applied
     * @param bufferedFallbackSync writes sent synchronously because the ring was full
     * @param ringHighWater        most ring slots in use
     * @param timeoffsetLost       TIMEOFFSET updates this server missed (no ring, or full)
     * @param notifications        event-channel notifications that reached the emulator's ports
     * @param coalesced            of those, coalesced into an event already pending
     * @param upcallsRaised        upcalls the ports raised (notifications minus coalesced, plus unmask replays)
     */
    public record ServerLoad(long requests, long pio, long mmio, long pciConfig, long bufferedSubmitted,
                             long bufferedDelivered, long bufferedFallbackSync, long ringHighWater,
                             long timeoffsetLost, long unclaimed, long notifications, long coalesced,
                             long upcallsRaised, long spuriousUpcalls) {
    }

    /**
     * @param notifications notifications that reached emulator ports
     * @param coalesced     of those, coalesced into an already pending event
     * @param upcalls       upcalls raised to emulators
     */
    public record EventChannelCounts(long notifications, long coalesced, long upcalls) {
    }

    static RunReport of(Scenario s, RunMetrics m, Timing timing, List<EmulatorStats> emulators,
                        List<DomainSnapshot> domains, List<EmulatorEvent> events, List<long[]> samples,
                        List<LifecycleEvents.Fired> fired, List<String> stalled,
                        List<Fairness.VcpuCount> vcpuCounts) {
        Map<String, Long> byRoute = new LinkedHashMap<>();
        m.byRoute().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> RunMetrics.routeOrder(e.getKey()))
                        .thenComparing(Map.Entry::getKey, NaturalOrder.INSTANCE))
                .forEach(e -> byRoute.put(e.getKey(), e.getValue()));
        long buffered = m.bufferedByRoute().values().stream().mapToLong(Long::longValue).sum();
        Map<String, ServerSnapshot> xenSide = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        long lost = 0;
        for (DomainSnapshot d : domains) {
            lost += d.counters().get("bufferedLostOnDisable") + d.counters().get("bufferedLostOnDestroy");
            d.servers().forEach(srv -> xenSide.put("server-" + d.domid() + "-" + srv.id(), srv));
            Map<String, Integer> counted = new LinkedHashMap<>();
            d.findings().forEach(f -> counted.merge(f, 1, Integer::sum));
            counted.forEach((f, n) -> findings.add("d" + d.domid() + ": " + f + (n > 1 ? " (x" + n + ")" : "")));
        }
        Map<String, ServerLoad> servers = new TreeMap<>(NaturalOrder.INSTANCE);
        long notifications = 0;
        long coalesced = 0;
        long upcalls = 0;
        long fallback = 0;
        for (EmulatorStats e : emulators) {
            String key = "server-" + e.targetDomid() + "-" + e.serverId();
            ServerSnapshot x = xenSide.get(key);
            long submitted = x == null ? 0 : x.buffered().get("submitted");
            long full = x == null ? 0 : x.buffered().get("fullFallbacks");
            fallback += full;
            servers.put(key, new ServerLoad(e.requests(), e.pio(), e.mmio(), e.pciConfig(), submitted,
                    e.bufferedDelivered(), full, Math.max(e.ringHighWater(),
                    x == null ? 0 : x.buffered().get("highWater")), x == null ? 0 : x.buffered().get("timeoffsetLost"),
                    e.unclaimed(), e.notificationsIn(), e.coalesced(), e.upcallsRaised(), e.spuriousUpcalls()));
            notifications += e.notificationsIn();
            coalesced += e.coalesced();
            upcalls += e.upcallsRaised();
        }
        List<String> failures = new ArrayList<>();
        for (EmulatorEvent ev : events) {
            if (ev instanceof EmulatorEvent.Failed f) {
                failures.add("server-" + f.targetDomid() + "-" + f.serverId() + ": " + f.reason());
            }
        }
        java.util.Set<Integer> touched = new java.util.HashSet<>();
        fired.stream().filter(LifecycleEvents.Fired::reached).forEach(f -> touched.add(f.domain()));
        List<Fairness.Group> fairness = Fairness.of(s.groups(), vcpuCounts, byRoute, touched, domains);
        findings.addAll(Fairness.findings(fairness));
        Histogram latencies = m.latencies();
        return new RunReport(s.run().seed(), ScenarioDescription.of(s), new Ioreqs(m.issuedCount(), m.completedCount(),
                byRoute, m.byKind(), buffered, fallback, lost), timing.elapsedSeconds(), timing.steadyPerSec(), timing,
                Latency.of(latencies), servers, fairness,
                new EventChannelCounts(notifications, coalesced, upcalls), findings, failures,
                fired.stream().map(f -> new LifecycleEvent(f.atSeconds(), f.trigger(), f.action(), f.target(),
                        f.result())).toList(),
                List.copyOf(stalled), timeline(samples), buckets(latencies));
    }

    /** Rates between consecutive (nanos since start, completed) samples. */
    private static List<TimelinePoint> timeline(List<long[]> samples) {
        List<TimelinePoint> out = new ArrayList<>();
        long prevT = 0;
        long prevC = 0;
        for (long[] s : samples) {
            double dt = (s[0] - prevT) / 1e9;
            if (dt < 0.05) {
                continue;
            }
            out.add(new TimelinePoint(Math.round(s[0] / 1e6) / 1000.0, s[1], Math.round((s[1] - prevC) / dt)));
            prevT = s[0];
            prevC = s[1];
        }
        return out;
    }

    /** Logarithmic buckets from 1 us, doubling, of {@code h} (nanoseconds). */
    public static List<LatencyBucket> buckets(Histogram h) {
        List<LatencyBucket> out = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return out;
        }
        for (org.HdrHistogram.HistogramIterationValue v : h.logarithmicBucketValues(1000, 2.0)) {
            out.add(new LatencyBucket(v.getValueIteratedTo() / 1000.0, v.getCountAddedInThisIterationStep()));
        }
        return out;
    }

    /** {@code "4 domains, 16 vCPUs, 4 servers"}, from a report's config. */
    public static String shape(Map<String, Object> config) {
        return config.get("domains") + " domains, " + config.get("vcpus") + " vCPUs, " + config.get("servers")
                + " servers";
    }

    /** The run's clock, its time split and its throughput, a line each (console and HTML alike). */
    public List<String> timingLines() {
        List<String> out = new ArrayList<>();
        if (timing.endedBy().equals("interrupted")) {
            out.add("INTERRUPTED       the run was stopped (Ctrl-C): every figure covers the run until then");
        }
        out.add(timing.clock().equals("simulated")
                ? "clock             simulated (deterministic run, " + DeterministicActors.STEP_NANOS / 1000
                        + " us per actor step): the same figures every time"
                : "clock             wall-clock (free run): figures vary from run to run; --deterministic for repeatable ones");
        out.add(String.format("elapsed           %12.3f s   (active %.3f s, then stall grace %.3f s)", elapsedSeconds,
                timing.activeSeconds(), timing.stallGraceSeconds()));
        out.add(String.format("throughput        %,12.0f ioreqs/s   (steady state: %.3f s after a %.3f s warm-up; "
                        + "overall %,.0f ioreqs/s)", throughputPerSec, timing.steadyStateSeconds(), timing.warmupSeconds(),
                timing.overallPerSec()));
        return out;
    }

    /**
     * Why completed is less than issued, if it is: operations still in flight when the run ended (on
     * the stalled vCPUs). Empty when the two agree.
     */
    public String inFlightNote() {
        long open = ioreqs.issued() - ioreqs.completed();
        return open == 0 ? "" : String.format("   (%,d still in flight at the end%s)", open,
                stalledVcpus.isEmpty() ? "" : ", on the stalled vCPUs listed below");
    }

    /** The console summary. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("ioreq-sim run  seed %d  %s%n", seed, shape(config)));
        sb.append(String.format("%n  ioreqs issued     %,12d%n  ioreqs completed  %,12d%s%n", ioreqs.issued(),
                ioreqs.completed(), inFlightNote()));
        timingLines().forEach(l -> sb.append("  ").append(l).append(System.lineSeparator()));
        sb.append(String.format("  latency (us)      p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                latencyMicros.p50(), latencyMicros.p90(), latencyMicros.p99(), latencyMicros.p999(),
                latencyMicros.max()));
        sb.append(String.format("%n  %-22s %14s %8s%n", "route", "completed", "share"));
        List<Map.Entry<String, Long>> routes = new ArrayList<>(ioreqs.byRoute().entrySet());
        if (routes.size() > MAX_SERVER_ROWS) {
            List<Map.Entry<String, Long>> busiest = new ArrayList<>(routes);
            busiest.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            java.util.Set<String> shown = new java.util.HashSet<>();
            busiest.subList(0, MAX_SERVER_ROWS).forEach(e -> shown.add(e.getKey()));
            routes.removeIf(e -> !shown.contains(e.getKey()));
        }
        for (Map.Entry<String, Long> e : routes) {
            sb.append(String.format("  %-22s %,14d %7.1f%%%n", e.getKey(), e.getValue(),
                    100.0 * e.getValue() / Math.max(1, ioreqs.completed())));
        }
        if (ioreqs.byRoute().size() > MAX_SERVER_ROWS) {
            long[] server = ioreqs.byRoute().entrySet().stream().filter(e -> e.getKey().startsWith("server-"))
                    .mapToLong(Map.Entry::getValue).sorted().toArray();
            sb.append(String.format("  ... the %d busiest of %,d routes shown (--json has all)%s%n", MAX_SERVER_ROWS,
                    ioreqs.byRoute().size(), server.length == 0 ? "" : String.format("; completions per server "
                    + "route: min %,d, median %,d, max %,d", server[0], server[server.length / 2],
                    server[server.length - 1])));
        }
        sb.append(String.format("%n  buffered writes   %,12d   fell back to sync (ring full) %,d   lost %,d%n",
                ioreqs.buffered(), ioreqs.bufferedFallbackSync(), ioreqs.bufferedLost()));
        sb.append(String.format("  event channel     notifications %,d  coalesced %,d  upcalls %,d (%.2f notifications"
                        + " per upcall)%n", eventChannel.notifications(), eventChannel.coalesced(), eventChannel.upcalls(),
                eventChannel.notifications() / (double) Math.max(1, eventChannel.upcalls())));
        if (!servers.isEmpty()) {
            sb.append(String.format("%n  %-16s %12s %10s %10s %10s %12s %8s%n", "server", "sync reqs", "pio", "mmio",
                    "pci-cfg", "buffered", "ring hw"));
            List<Map.Entry<String, ServerLoad>> shown = new ArrayList<>(servers.entrySet());
            if (shown.size() > MAX_SERVER_ROWS) {
                shown.sort(Comparator.comparingLong((Map.Entry<String, ServerLoad> e) -> e.getValue().requests())
                        .reversed());
                shown = shown.subList(0, MAX_SERVER_ROWS);
            }
            shown.forEach(e -> sb.append(String.format("  %-16s %,12d %,10d %,10d %,10d %,12d %8d%n", e.getKey(),
                    e.getValue().requests(), e.getValue().pio(), e.getValue().mmio(), e.getValue().pciConfig(),
                    e.getValue().bufferedSubmitted(), e.getValue().ringHighWater())));
            if (servers.size() > MAX_SERVER_ROWS) {
                long[] sync = servers.values().stream().mapToLong(ServerLoad::requests).sorted().toArray();
                sb.append(String.format("  ... the %d busiest of %,d servers shown (--json has all); sync requests "
                        + "per server: min %,d, median %,d, max %,d%n", MAX_SERVER_ROWS, servers.size(), sync[0],
                        sync[sync.length / 2], sync[sync.length - 1]));
            }
        }
        if (!servers.isEmpty()) {
            StringBuilder line = new StringBuilder(" ");
            for (String word : SERVER_COUNTS.split(" ")) {
                if (line.length() + word.length() > 100) {
                    sb.append(line).append(System.lineSeparator());
                    line = new StringBuilder(" ");
                }
                line.append(' ').append(word);
            }
            sb.append(line).append(System.lineSeparator());
        }
        if (!fairness.isEmpty()) {
            sb.append(String.format("%n  fairness: completed operations per member of each group of identical guests%n"));
            sb.append(String.format("  %-18s %-16s %8s %12s %12s %12s %14s%n", Fairness.COLUMNS.toArray()));
            for (List<Object> row : Fairness.rows(fairness)) {
                sb.append(String.format("  %-18s %-16s %8s %12s %12s %12s %14s%n", row.toArray()));
            }
            Fairness.notes(fairness).forEach(n -> sb.append("  ").append(n).append(System.lineSeparator()));
        }
        if (!events.isEmpty()) {
            sb.append(String.format("%n  %-9s %-22s %-16s %-34s %s%n", "fired (s)", "trigger", "event", "target",
                    "result"));
            events.forEach(e -> sb.append(String.format("  %9s %-22s %-16s %-34s %s%n",
                    e.atSeconds() == null ? "-" : String.format("%.3f", e.atSeconds()), e.trigger(), e.action(),
                    e.target(), e.result())));
        }
        if (!stalledVcpus.isEmpty()) {
            sb.append(String.format("%n  the run ended with %d vCPU(s) that can make no progress:%n", stalledVcpus.size()));
            stalledVcpus.stream().limit(20).forEach(v -> sb.append("    ").append(v).append(System.lineSeparator()));
            if (stalledVcpus.size() > 20) {
                sb.append(String.format("    ... and %d more%n", stalledVcpus.size() - 20));
            }
        }
        if (!findings.isEmpty()) {
            sb.append(String.format("%n  findings:%n"));
            findings.forEach(f -> sb.append("    ").append(f).append(System.lineSeparator()));
        }
        if (!emulatorFailures.isEmpty()) {
            sb.append(String.format("%n  emulator failures:%n"));
            emulatorFailures.forEach(f -> sb.append("    ").append(f).append(System.lineSeparator()));
        }
        return sb.toString();
    }
}
