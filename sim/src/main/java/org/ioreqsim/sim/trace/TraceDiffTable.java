package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console summary of a {@link TraceDiffReport}: the two runs, totals by change, one row per request
 * kind, then every changed transition row by region (those that now end in the null handler first) and
 * the first changed values.
 */
final class TraceDiffTable {
    private static final String ROW = "  %-24s %-17s %-22s %-12s %,9d %,8d %,8d%s%n";

    private TraceDiffTable() {
    }

    static String render(TraceDiffReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("ioreq-sim diff  %s  layout %s  seed %d  %d vCPU(s)%n%n", r.file(), r.layout(), r.seed(),
                r.vcpus()));
        b.append(String.format("  before  Xen %s%n          %s%n", r.before().xen(), r.before().emulator()));
        b.append(String.format("  now     Xen %s%n          %s%n%n", r.now().xen(), r.now().emulator()));
        Map<String, Long> c = r.byChange();
        b.append(String.format("  replayed %,d accesses; handling changed for %,d:%n", r.replayed(), r.changed()));
        b.append(String.format("    default server -> null handler     %,9d  (default-to-null)%n", c.get("default-to-null")));
        b.append(String.format("    default server -> its own server   %,9d  (default-to-server)%n",
                c.get("default-to-server")));
        b.append(String.format("    other                              %,9d  (other)%n", c.get("other")));
        b.append(String.format("    unchanged                          %,9d  (same: Xen's internal emulators)%n",
                c.get("same")));
        b.append(String.format("  reads %,d, completed in both runs %,d: guest-visible value changed for %,d%n",
                r.reads(), r.readsCompared(), r.valuesChanged()));
        b.append(String.format("  routes before  %s%n", counts(r.before().routes())));
        b.append(String.format("  routes now     %s%n", counts(r.now().routes())));
        b.append(String.format("  outcomes before %s; now %s%n", counts(r.before().outcomes()),
                counts(r.now().outcomes())));
        b.append(String.format("  buffered writes before %,d, now %,d; reads unlike the trace before %,d, now %,d%n%n",
                r.before().buffered(), r.now().buffered(), r.before().valueMismatches(), r.now().valueMismatches()));

        b.append(String.format("  %-17s %9s %9s %9s %9s %9s %9s %9s%n", "kind", "accesses", "changed", "->null",
                "->server", "other", "reads", "values"));
        r.byKind().forEach((k, s) -> b.append(String.format("  %-17s %,9d %,9d %,9d %,9d %,9d %,9d %,9d%n", k,
                s.count(), s.changed(), s.byChange().get("default-to-null"), s.byChange().get("default-to-server"),
                s.byChange().get("other"), s.reads(), s.valuesChanged())));

        List<Map.Entry<String, TraceDiffReport.Transition>> rows = new ArrayList<>();
        r.byRegion().forEach((region, d) -> d.transitions().stream().filter(t -> !t.change().equals("same"))
                .forEach(t -> rows.add(Map.entry(region, t))));
        rows.sort(Comparator.comparing((Map.Entry<String, TraceDiffReport.Transition> e) ->
                e.getValue().change().equals("default-to-server")).thenComparing(e -> -e.getValue().count()));
        if (!rows.isEmpty()) {
            b.append(String.format("%n  changed handling, by region and kind:%n"));
            b.append(String.format("  %-24s %-17s %-22s %-12s %9s %8s %8s%n", "region", "kind", "before", "now",
                    "accesses", "reads", "values"));
            rows.forEach(e -> {
                TraceDiffReport.Transition t = e.getValue();
                String buffered = t.bufferedBefore() + t.bufferedNow() == 0 ? "" : String.format(
                        "  buffered %,d before, %,d now", t.bufferedBefore(), t.bufferedNow());
                b.append(String.format(ROW, clip(e.getKey(), 24), t.kind(), clip(t.before(), 22), clip(t.now(), 12),
                        t.count(), t.reads(), t.valuesChanged(), buffered));
            });
        }
        r.byRegion().forEach((region, d) -> d.transitions().forEach(t -> t.examples().forEach(x -> b.append(
                String.format("  value changed %s line %d cpu %d: %s size %d recorded %s: before %s via %s, now %s via %s%n",
                        region, x.line(), x.cpu(), x.addr(), x.size(), x.recorded(), x.before(), t.before(), x.now(),
                        t.now())))));
        return b.toString();
    }

    private static String counts(Map<String, Long> m) {
        return m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + String.format("%,d", e.getValue())).collect(Collectors.joining(", "));
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
