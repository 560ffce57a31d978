package org.ioreqsim.sim.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.scenario.DomainGroup;
import org.ioreqsim.sim.scenario.RunSettings;
import org.ioreqsim.sim.scenario.Scenario;

/**
 * A scenario before the seed commit and at it (spec sections 14 and 17, {@code legacyDefaultServer}):
 * run twice in one JVM with the same seed and request count, so every vCPU issues the same accesses,
 * once with Xen before the seed and each guest's first emulator on the default ioreq server (as
 * qemu-xen-traditional ran), once as the scenario says; then, per access template, where the
 * accesses went in each run and how many reads the guest saw as all ones.
 */
public final class ScenarioDiff {
    /** Requests per vCPU when the scenario gives a duration: a diff compares identical access streams. */
    public static final long DEFAULT_REQUESTS = 2_000;

    private ScenarioDiff() {
    }

    /**
     * One access template (a PCI template is two rows, its CF8 write and its CFC cycle): where its
     * accesses went before and now, with domids written D, and the default server marked.
     */
    public record Row(String access, Map<String, Long> before, Map<String, Long> now, long readsBefore,
                      long readsNow, long allOnesReadsBefore, long allOnesReadsNow, String change) {
    }

    /** A lifecycle event whose result differs. */
    public record EventChange(String action, String target, String before, String now) {
    }

    /**
     * @param requestsPerVcpu  accesses each vCPU issued in each run
     * @param rows             every access template, changed or not
     * @param changedAccesses  accesses (of the run now) whose handling changed
     * @param events           lifecycle events whose result differs
     */
    public record Report(long seed, long requestsPerVcpu, List<Row> rows, long changedAccesses,
                         List<EventChange> events, RunReport before, RunReport now) {
    }

    public static Report run(Scenario spec) {
        long requests = spec.run().requests() > 0 ? spec.run().requests() : DEFAULT_REQUESTS;
        XenOptions seedOptions = spec.xen().options().with("legacyDefaultServer", false);
        List<DomainGroup> plain = spec.groups().stream().map(ScenarioDiff::withoutDefaultServer).toList();
        RunSettings run = spec.run().withRequests(requests, spec.run().duration());
        Scenario now = new Scenario(run, spec.xen().withOptions(seedOptions), plain, spec.events());
        Scenario before = new Scenario(run, spec.xen().withOptions(seedOptions.with("legacyDefaultServer", true)),
                plain.stream().map(DomainGroup::withDefaultServer).toList(), spec.events());
        AccessLog beforeLog = new AccessLog();
        AccessLog nowLog = new AccessLog();
        RunReport b = run(before, beforeLog);
        RunReport n = run(now, nowLog);
        return compare(spec.run().seed(), requests, beforeLog, nowLog, b, n);
    }

    private static DomainGroup withoutDefaultServer(DomainGroup g) {
        List<DomainGroup.ServerSpec> s = g.servers().stream()
                .map(x -> new DomainGroup.ServerSpec(x.bufioreq(), x.resourceMapping(), x.devices())).toList();
        return new DomainGroup(g.count(), g.vcpus(), g.vga(), g.vendor(), g.family(), g.intercepts(), s, g.workload(),
                g.vcpuWorkloads());
    }

    /** Each side runs deterministically, so the two differ only by the Xen version. */
    private static RunReport run(Scenario s, AccessLog log) {
        try (Simulation sim = Simulation.deterministic(s, log)) {
            return sim.run(n -> { });
        }
    }

    static Report compare(long seed, long requests, AccessLog beforeLog, AccessLog nowLog, RunReport b, RunReport n) {
        Map<String, Map<String, AccessLog.Counts>> before = beforeLog.snapshot();
        Map<String, Map<String, AccessLog.Counts>> now = nowLog.snapshot();
        TreeSet<String> accesses = new TreeSet<>(before.keySet());
        accesses.addAll(now.keySet());
        List<Row> rows = new ArrayList<>();
        long changed = 0;
        for (String a : accesses) {
            Map<String, AccessLog.Counts> bc = before.getOrDefault(a, Map.of());
            Map<String, AccessLog.Counts> nc = now.getOrDefault(a, Map.of());
            Map<String, Long> br = routes(bc, true);
            Map<String, Long> nr = routes(nc, false);
            String change = change(br, nr);
            rows.add(new Row(a, br, nr, bc.values().stream().mapToLong(AccessLog.Counts::reads).sum(),
                    nc.values().stream().mapToLong(AccessLog.Counts::reads).sum(), bc.values().stream().mapToLong(AccessLog.Counts::allOnesReads).sum(),
                    nc.values().stream().mapToLong(AccessLog.Counts::allOnesReads).sum(), change));
            if (!change.equals("same")) {
                changed += nr.values().stream().mapToLong(Long::longValue).sum();
            }
        }
        List<EventChange> events = new ArrayList<>();
        for (int i = 0; i < Math.min(b.events().size(), n.events().size()); i++) {
            RunReport.LifecycleEvent x = b.events().get(i);
            RunReport.LifecycleEvent y = n.events().get(i);
            if (!x.result().equals(y.result())) {
                events.add(new EventChange(y.action(), y.target(), x.result(), y.result()));
            }
        }
        return new Report(seed, requests, rows, changed, events, b, n);
    }

    /** Routes with domids written D; before the seed, server 0 of each guest is the default server. */
    private static Map<String, Long> routes(Map<String, AccessLog.Counts> counts, boolean beforeSeed) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((route, c) -> {
            String r = route.replaceFirst("^server-\\d+-(\\d+)$", "server-D-$1");
            if (beforeSeed && r.equals("server-D-0")) {
                r = "server-D-0 (default)";
            }
            out.merge(r, c.accesses(), Long::sum);
        });
        return out;
    }

    private static String change(Map<String, Long> before, Map<String, Long> now) {
        if (before.keySet().equals(now.keySet())) {
            return "same";
        }
        if (before.size() == 1 && now.size() == 1 && before.containsKey("server-D-0 (default)")) {
            return now.containsKey("null") ? "default-to-null" : "default-to-server";
        }
        return "other";
    }

    /** The console table. */
    public static String render(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("ioreq-sim diff  seed %d  %,d accesses per vCPU in each run%n", r.seed(),
                r.requestsPerVcpu()));
        sb.append(String.format("  before: Xen before the seed commit, each guest's first emulator on the default "
                + "ioreq server%n  now:    Xen at the seed commit (2c257bd6), no default server%n%n"));
        for (Row row : r.rows()) {
            sb.append(String.format("  %-60s %s%n", row.access(), row.change()));
            sb.append(String.format("      before  %s%n      now     %s%n", describe(row.before()), describe(row.now())));
            if (row.readsBefore() + row.readsNow() > 0) {
                sb.append(String.format("      reads   before %,d (%,d answered with all ones), now %,d (%,d)%n",
                        row.readsBefore(), row.allOnesReadsBefore(), row.readsNow(), row.allOnesReadsNow()));
            }
        }
        sb.append(String.format("%n  %,d accesses changed handling%n", r.changedAccesses()));
        List<String> unreached = r.now().events().stream().filter(e -> e.atSeconds() == null)
                .map(e -> e.action() + " " + e.target() + " (" + e.trigger() + ")").toList();
        if (!unreached.isEmpty()) {
            sb.append(String.format("  %d lifecycle event(s) not reached: the run ended first (simulated time %.3f s, "
                    + "%,d operations): %s%n", unreached.size(), r.now().elapsedSeconds(), r.now().ioreqs().completed(),
                    String.join("; ", unreached)));
        }
        if (!r.events().isEmpty()) {
            sb.append(String.format("%n  lifecycle events whose result differs:%n"));
            r.events().forEach(e -> sb.append(String.format("    %-16s %-34s before %s, now %s%n", e.action(),
                    e.target(), e.before(), e.now())));
        }
        return sb.toString();
    }

    private static String describe(Map<String, Long> routes) {
        if (routes.size() == 1) {
            return routes.keySet().iterator().next();
        }
        List<String> parts = new ArrayList<>();
        routes.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }
}
