package org.ioreqsim.sim.run.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.ioreqsim.sim.NaturalOrder;
import org.ioreqsim.sim.run.RunMetrics;
import org.ioreqsim.sim.run.RunReport;
import org.ioreqsim.sim.scenario.DomainGroup;
import org.ioreqsim.sim.scenario.HostTemplate;
import org.ioreqsim.sim.scenario.Scenario;

/**
 * What a fleet run reports ({@code run --json} of a scenario with hosts, field for field): the figures of
 * every host merged (counts summed, latency histograms merged), a row per host and a row per member.
 *
 * @param seed             the fleet's seed (each host runs with a seed derived from it and its index)
 * @param config           the fleet: its host templates and totals
 * @param ioreqs           operation counts over every host that reported
 * @param timing           the fleet's clock and time
 * @param throughputPerSec the sum of the hosts' steady-state rates (the hosts run side by side)
 * @param latencyMicros    percentiles of every operation of every host (merged HdrHistograms)
 * @param hosts            a row per host
 * @param members          a row per member that ran hosts
 * @param lostHosts        hosts without figures, each with why (failed, member lost, never started)
 * @param network          the control messages the run sent and received
 * @param findings         the hosts' findings, each prefixed with its host
 * @param emulatorFailures the hosts' emulator failures, prefixed likewise
 * @param stalledVcpus     vCPUs the hosts ended without, prefixed likewise
 * @param events           the hosts' lifecycle events, prefixed likewise
 * @param latencyHistogram latencies in doubling buckets
 */
public record FleetReport(long seed, Map<String, Object> config, RunReport.Ioreqs ioreqs, Timing timing,
                          double throughputPerSec, RunReport.Latency latencyMicros, List<HostRow> hosts,
                          List<MemberRow> members, List<String> lostHosts, Network network, List<String> findings,
                          List<String> emulatorFailures, List<String> stalledVcpus, List<String> events,
                          List<RunReport.LatencyBucket> latencyHistogram) {

    /**
     * @param clock          {@code wall-clock} (free hosts) or {@code simulated} (each host on its own
     *                       controlled system: a host's figures are the same whatever member runs it)
     * @param endedBy        {@code done}, {@code interrupted} (Ctrl-C) or {@code hosts lost}
     * @param elapsedSeconds on the submitter's clock, from the starts sent to the last host's end
     * @param overallPerSec  completions of every host over {@code elapsedSeconds}
     */
    public record Timing(String clock, String endedBy, double elapsedSeconds, double overallPerSec) {
    }

    /** One host: where it ran and what it did. */
    public record HostRow(String host, String member, long domains, long vcpus, long issued, long completed,
                          double perSec, double p50, double p99, double max, String endedBy) {
    }

    /** One member: the hosts it ran, summed (latencies merged). */
    public record MemberRow(String member, int hosts, long vcpus, long issued, long completed, double perSec,
                            double p50, double p99, double max) {
    }

    /**
     * The control messages of the run (the only traffic between members): starts and stops sent to hosts,
     * events received from them (of which progress messages), and their rate over the elapsed time.
     */
    public record Network(long sent, long received, long progress, double perSec) {
    }

    /** The fleet's report from each host's outcome. */
    static FleetReport merge(Scenario fleet, boolean deterministic, List<FleetCollector.HostOutcome> outcomes,
                             double elapsedSeconds, boolean interrupted, long sent, long received, long progress) {
        Histogram all = HostFigures.emptyHistogram();
        Map<String, Histogram> byMember = new TreeMap<>(NaturalOrder.INSTANCE);
        Map<String, List<HostFigures>> hostsOf = new TreeMap<>(NaturalOrder.INSTANCE);
        Map<String, Long> byRoute = new TreeMap<>();
        Map<String, Long> byOutcome = new TreeMap<>();
        long issued = 0;
        long completed = 0;
        long buffered = 0;
        long fallback = 0;
        long lost = 0;
        double perSec = 0;
        List<HostRow> rows = new ArrayList<>();
        List<String> lostHosts = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> stalled = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (FleetCollector.HostOutcome o : outcomes) {
            HostFigures f = o.figures();
            if (f == null) {
                lostHosts.add(o.host() + " (" + o.member() + "): " + o.lost());
                continue;
            }
            Histogram h = f.latencyHistogram();
            all.add(h);
            byMember.computeIfAbsent(f.member(), m -> HostFigures.emptyHistogram()).add(h);
            hostsOf.computeIfAbsent(f.member(), m -> new ArrayList<>()).add(f);
            f.byRoute().forEach((k, v) -> byRoute.merge(k, v, Long::sum));
            f.byOutcome().forEach((k, v) -> byOutcome.merge(k, v, Long::sum));
            issued += f.issued();
            completed += f.completed();
            buffered += f.buffered();
            fallback += f.fallbackSync();
            lost += f.bufferedLost();
            perSec += f.steadyPerSec();
            RunReport.Latency l = RunReport.Latency.of(h);
            rows.add(new HostRow(f.host(), f.member(), f.domains(), f.vcpus(), f.issued(), f.completed(),
                    f.steadyPerSec(), l.p50(), l.p99(), l.max(), f.endedBy()));
            f.findings().forEach(x -> findings.add(f.host() + " " + x));
            f.failures().forEach(x -> failures.add(f.host() + " " + x));
            f.stalled().forEach(x -> stalled.add(f.host() + " " + x));
            if (f.stalledCount() > f.stalled().size()) {
                stalled.add(f.host() + " ... and " + (f.stalledCount() - f.stalled().size()) + " more");
            }
            f.events().forEach(e -> events.add(String.format("%s %s %s %s: %s%s", f.host(), e.trigger(), e.action(),
                    e.target(), e.result(), e.atSeconds() == null ? "" : " (fired at " + e.atSeconds() + " s)")));
        }
        List<MemberRow> members = new ArrayList<>();
        hostsOf.forEach((m, fs) -> {
            RunReport.Latency l = RunReport.Latency.of(byMember.get(m));
            members.add(new MemberRow(m, fs.size(), fs.stream().mapToLong(HostFigures::vcpus).sum(),
                    fs.stream().mapToLong(HostFigures::issued).sum(), fs.stream().mapToLong(HostFigures::completed).sum(),
                    Math.round(fs.stream().mapToDouble(HostFigures::steadyPerSec).sum()), l.p50(), l.p99(), l.max()));
        });
        Map<String, Long> routes = new LinkedHashMap<>();
        byRoute.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> RunMetrics.routeOrder(e.getKey()))
                        .thenComparing(Map.Entry::getKey, NaturalOrder.INSTANCE))
                .forEach(e -> routes.put(e.getKey(), e.getValue()));
        String endedBy = interrupted ? "interrupted" : lostHosts.isEmpty() ? "done" : "hosts lost";
        double elapsed = Math.round(elapsedSeconds * 1000) / 1000.0;
        return new FleetReport(fleet.run().seed(), describe(fleet, members.size()),
                new RunReport.Ioreqs(issued, completed, routes, byOutcome, buffered, fallback, lost),
                new Timing(deterministic ? "simulated" : "wall-clock", endedBy, elapsed,
                        Math.round(completed / Math.max(elapsedSeconds, 1e-9))), Math.round(perSec),
                RunReport.Latency.of(all), rows, members, lostHosts, new Network(sent, received, progress,
                Math.round((sent + received) / Math.max(elapsedSeconds, 1e-9))), findings, failures, stalled, events,
                RunReport.buckets(all));
    }

    /** The fleet as reports print it. */
    static Map<String, Object> describe(Scenario s, int members) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hosts", s.hosts().stream().mapToLong(HostTemplate::count).sum());
        m.put("members", members);
        m.put("domains", s.totalDomains());
        m.put("vcpus", s.totalVcpus());
        m.put("requestsPerVcpu", s.run().requests());
        if (s.run().requests() <= 0) {
            m.put("durationSeconds", s.run().duration().toMillis() / 1000.0);
        }
        m.put("xenOptions", s.xen().options().enabled());
        List<Map<String, Object>> templates = new ArrayList<>();
        for (HostTemplate t : s.hosts()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name());
            tm.put("count", t.count());
            tm.put("domainsPerHost", t.groups().stream().mapToLong(DomainGroup::count).sum());
            tm.put("vcpusPerHost", t.groups().stream().mapToLong(g -> (long) g.count() * g.vcpus()).sum());
            tm.put("eventsPerHost", t.events().size());
            templates.add(tm);
        }
        m.put("hostTemplates", templates);
        return m;
    }

    /** {@code "12 hosts on 2 members, 96 domains, 384 vCPUs"}. */
    public String shape() {
        return config.get("hosts") + " hosts on " + config.get("members") + " member(s), " + config.get("domains")
                + " domains, " + config.get("vcpus") + " vCPUs";
    }
}
