package org.ioreqsim.sim.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section {@code scale}: spawn time and heap bytes per vCPU (after GC) of the model at each size
 * (domains of 100 vCPUs, one server each in a stub domain, every vCPU completing one ioreq), and the
 * same for trivial typed actors under parents as the reference, and the model's ratio to the reference
 * of each. Each measurement runs in its own JVM, which first spawns and tears down smaller ones until
 * the JIT has settled ({@link ScaleProbe#SETTLED_JIT_SHARE}).
 */
final class ScaleBench {
    private ScaleBench() {
    }

    /**
     * Pairs of child JVMs (model and trivial, alternating which goes first) per size in a full run: one
     * spawn per side is not a figure that holds on 2 cores (the ratio at 1,000,000 vCPUs was 2.26 in one
     * run and 1.69 in the next, at 100,000 2.10 and 4.29), so the spawn figures are medians of pairs.
     */
    static final int SPAWN_PAIRS = 3;

    static List<Figure> run(BenchPlan plan, Paired.Progress progress) {
        List<Figure> out = new ArrayList<>();
        int per = BenchPlan.SCALE_VCPUS_PER_DOMAIN;
        boolean quick = plan.mode().equals("quick");
        int pairs = quick ? 1 : Math.min(plan.runs(), SPAWN_PAIRS);
        for (int n : plan.scaleVcpus()) {
            int domains = n / per;
            double loadBefore = Stats.loadAverage();
            List<ChildJvm.Outcome> sims = new ArrayList<>();
            List<ChildJvm.Outcome> trivials = new ArrayList<>();
            for (int pair = 0; pair < pairs; pair++) {
                for (int side = 0; side < 2; side++) {
                    if ((side + pair) % 2 == 0) {
                        progress.note("scale: model, " + n + " vCPUs (" + (pair + 1) + " of " + pairs + ")");
                        sims.add(ChildJvm.run(plan.childHeap(), "sim", String.valueOf(domains), String.valueOf(per),
                                plan.mode().equals("full") && pair == 0 ? "histogram" : ""));
                    } else {
                        progress.note("scale: trivial actors, " + n + " (" + (pair + 1) + " of " + pairs + ")");
                        trivials.add(ChildJvm.run(plan.childHeap(), "trivial", String.valueOf(domains),
                                String.valueOf(per)));
                    }
                }
            }
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("vcpus", n);
            cfg.put("domains", domains);
            cfg.put("vcpusPerDomain", per);
            cfg.put("heap", "-Xmx" + plan.childHeap() + " (a fresh JVM per measurement)");
            cfg.put("pairs", pairs);
            Map<String, Object> simCfg = new LinkedHashMap<>(cfg);
            simCfg.put("what", "the model: guests with one QEMU-like server each in a stub domain; "
                    + "bytes = heap after GC with everything spawned and started, minus before, per vCPU");
            Map<String, Object> refCfg = new LinkedHashMap<>(cfg);
            refCfg.put("what", "trivial typed actors (one shared stateless behaviour) under " + domains
                    + " parents, each handling one message");
            Double[] simFigures = figures(out, "scale.sim." + n, sims, n, simCfg, "bytesPerVcpu", "bytes/vCPU");
            Double[] refFigures = figures(out, "scale.trivial." + n, trivials, n, refCfg, "bytesPerActor",
                    "bytes/actor");
            ratio(out, "scale.ratio." + n, simFigures, refFigures, 0, cfg,
                    "model bytes per vCPU / trivial actor bytes per actor (target <= 2)");
            List<Double> perPair = new ArrayList<>();
            for (int pair = 0; pair < pairs; pair++) {
                if (sims.get(pair).ok() && trivials.get(pair).ok()) {
                    perPair.add(num(sims.get(pair).result(), "spawnSeconds")
                            / num(trivials.get(pair).result(), "spawnSeconds"));
                }
            }
            String name = "scale.spawnRatio." + n;
            if (quick) {
                out.add(Figure.notMeasured(name, "ratio", "not with --quick (one short spawn per side does not give "
                        + "a ratio that holds)"));
            } else if (perPair.isEmpty()) {
                out.add(Figure.notMeasured(name, "ratio", "a measurement failed"));
            } else {
                Map<String, Object> timed = new LinkedHashMap<>(cfg);
                timed.put("what", "model spawn seconds / trivial actors' spawn seconds: the median over pairs of "
                        + "child JVMs, one spawn each after its warm-ups (target <= 2)");
                timed.put("perRun", SyncBench.rounded(perPair));
                timed.put("spread", Stats.spread(perPair));
                timed.put("loadAverage", Map.of("before", loadBefore, "after", Stats.loadAverage()));
                out.add(Figure.of(name, Stats.round(Stats.median(perPair), 3), "ratio", timed));
            }
        }
        return out;
    }

    private static void ratio(List<Figure> out, String name, Double[] sim, Double[] ref, int i, Map<String, Object> cfg,
                              String what) {
        if (sim == null || ref == null) {
            out.add(Figure.notMeasured(name, "ratio", "a measurement failed"));
            return;
        }
        Map<String, Object> c = new LinkedHashMap<>(cfg);
        c.put("what", what);
        out.add(Figure.of(name, Stats.round(sim[i] / ref[i], 3), "ratio", c));
    }

    /**
     * Adds one side's figures from the run whose spawn time is the median of its runs (every run's spawn
     * time in the configuration); returns its bytes per actor and spawn seconds, or null when every child
     * failed.
     */
    private static Double[] figures(List<Figure> out, String prefix, List<ChildJvm.Outcome> runs, int n,
                                    Map<String, Object> cfg, String bytesName, String unit) {
        List<ChildJvm.Outcome> ok = new ArrayList<>(runs.stream().filter(ChildJvm.Outcome::ok).toList());
        if (ok.isEmpty()) {
            out.add(Figure.notMeasured(prefix + "." + bytesName, unit, "failed: " + runs.get(0).failure()));
            return null;
        }
        ok.sort(java.util.Comparator.comparingDouble(x -> num(x.result(), "spawnSeconds")));
        ChildJvm.Outcome o = ok.get((ok.size() - 1) / 2);
        cfg = new LinkedHashMap<>(cfg);
        cfg.put("spawnSecondsPerRun", runs.stream().map(x -> x.ok() ? Stats.round(num(x.result(), "spawnSeconds"), 3)
                : (Double) null).toList());
        Map<String, Object> r = o.result();
        double before = num(r, "heapBeforeBytes");
        double after = num(r, "heapAfterSpawnBytes");
        double bytes = (after - before) / n;
        Map<String, Object> c = new LinkedHashMap<>(cfg);
        c.put("heapBeforeBytes", (long) before);
        c.put("heapAfterSpawnBytes", (long) after);
        c.put("heapAfterIoreqBytes", (long) num(r, "heapAfterIoreqBytes"));
        c.put("completedIoreqs", (long) num(r, "completed"));
        c.put("warmup", r.get("warmups") + " spawns of " + r.get("warmupVcpus") + " (spawned, one ioreq each, torn "
                + "down) in the same JVM first, " + Stats.round(num(r, "warmupSeconds"), 3) + " s, until one compiled "
                + "for less than " + Math.round(ScaleProbe.SETTLED_JIT_SHARE * 100) + "% of its time (at most "
                + ScaleProbe.MAX_WARMUPS + "): the spawn is timed on compiled code");
        c.put("warmupSpawns", r.get("warmupSpawns"));
        c.put("jitSettled", r.get("jitSettled"));
        c.put("spawnJitMillis", r.get("spawnJitMillis"));
        if (r.containsKey("topClasses")) {
            c.put("topClassesAfterSpawn", r.get("topClasses"));
        }
        out.add(Figure.of(prefix + ".spawnSeconds", Stats.round(num(r, "spawnSeconds"), 3), "s", c));
        out.add(Figure.of(prefix + "." + bytesName, Math.round(bytes), unit, c));
        out.add(Figure.of(prefix + ".ioreqSeconds", Stats.round(num(r, "ioreqSeconds"), 3), "s", c));
        out.add(Figure.of(prefix + ".completed", num(r, "completed"), "ioreqs", c));
        return new Double[] {bytes, num(r, "spawnSeconds")};
    }

    private static double num(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v instanceof Number x ? x.doubleValue() : Double.NaN;
    }
}
