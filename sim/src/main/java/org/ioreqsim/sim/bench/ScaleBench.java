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

    static List<Figure> run(BenchPlan plan, Paired.Progress progress) {
        List<Figure> out = new ArrayList<>();
        int per = BenchPlan.SCALE_VCPUS_PER_DOMAIN;
        for (int n : plan.scaleVcpus()) {
            int domains = n / per;
            double loadBefore = Stats.loadAverage();
            progress.note("scale: model, " + n + " vCPUs");
            ChildJvm.Outcome sim = ChildJvm.run(plan.childHeap(), "sim", String.valueOf(domains), String.valueOf(per),
                    plan.mode().equals("full") ? "histogram" : "");
            progress.note("scale: trivial actors, " + n);
            ChildJvm.Outcome trivial = ChildJvm.run(plan.childHeap(), "trivial", String.valueOf(domains),
                    String.valueOf(per));
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("vcpus", n);
            cfg.put("domains", domains);
            cfg.put("vcpusPerDomain", per);
            cfg.put("heap", "-Xmx" + plan.childHeap() + " (a fresh JVM per measurement)");
            Map<String, Object> simCfg = new LinkedHashMap<>(cfg);
            simCfg.put("what", "the model: guests with one QEMU-like server each in a stub domain; "
                    + "bytes = heap after GC with everything spawned and started, minus before, per vCPU");
            Map<String, Object> refCfg = new LinkedHashMap<>(cfg);
            refCfg.put("what", "trivial typed actors (one shared stateless behaviour) under " + domains
                    + " parents, each handling one message");
            Double[] simFigures = figures(out, "scale.sim." + n, sim, n, simCfg, "bytesPerVcpu", "bytes/vCPU");
            Double[] refFigures = figures(out, "scale.trivial." + n, trivial, n, refCfg, "bytesPerActor", "bytes/actor");
            ratio(out, "scale.ratio." + n, simFigures, refFigures, 0, cfg,
                    "model bytes per vCPU / trivial actor bytes per actor (target <= 2)");
            if (plan.mode().equals("quick")) {
                out.add(Figure.notMeasured("scale.spawnRatio." + n, "ratio", "not with --quick (one short spawn per "
                        + "side does not give a ratio that holds)"));
            } else {
                Map<String, Object> timed = new LinkedHashMap<>(cfg);
                timed.put("perRun", List.of(simFigures == null || refFigures == null ? Double.NaN
                        : Stats.round(simFigures[1] / refFigures[1], 3)));
                timed.put("loadAverage", Map.of("before", loadBefore, "after", Stats.loadAverage()));
                ratio(out, "scale.spawnRatio." + n, simFigures, refFigures, 1, timed, "model spawn seconds / trivial "
                        + "actors' spawn seconds, one spawn each in its own JVM after its warm-ups (target <= 2)");
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

    /** Adds one side's figures; returns its bytes per actor and spawn seconds, or null when the child failed. */
    private static Double[] figures(List<Figure> out, String prefix, ChildJvm.Outcome o, int n, Map<String, Object> cfg,
                                  String bytesName, String unit) {
        if (!o.ok()) {
            out.add(Figure.notMeasured(prefix + "." + bytesName, unit, "failed: " + o.failure()));
            return null;
        }
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
