package org.ioreqsim.sim.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --compare-akka SETTINGS...}: the sync shapes under the plan's settings and under each
 * alternative (HOCON overriding them), every repetition cycling through all settings in one JVM, so
 * that a dispatcher change is measured against the same machine moments.
 */
public final class DispatcherComparison {
    private DispatcherComparison() {
    }

    public static List<Figure> run(BenchPlan plan, List<String> alternatives, Paired.Progress progress) {
        double load = Stats.loadAverage();
        List<String> names = new ArrayList<>();
        List<Config> configs = new ArrayList<>();
        names.add("plan");
        configs.add(plan.akka());
        for (String a : alternatives) {
            names.add(a);
            configs.add(ConfigFactory.parseString(a).withFallback(plan.akka()));
        }
        for (Shape s : plan.syncShapes()) {
            for (Config c : configs) {
                progress.note("warm-up " + s.name());
                RawLoop.run(s, plan.warmup(), c);
                SimLoop.sync(s, plan.warmup(), c);
            }
        }
        Map<String, Paired.Runs> runs = new LinkedHashMap<>();
        for (int r = 0; r < plan.runs(); r++) {
            for (Shape s : plan.syncShapes()) {
                for (int k = 0; k < configs.size(); k++) {
                    progress.note("run " + (r + 1) + "/" + plan.runs() + " " + s.name() + " setting " + k);
                    Paired.Runs pr = runs.computeIfAbsent(k + " " + s.name(),
                            x -> new Paired.Runs(new ArrayList<>(), new ArrayList<>()));
                    pr.reference().add(RawLoop.run(s, plan.duration(), configs.get(k)));
                    pr.sim().add(SimLoop.sync(s, plan.duration(), configs.get(k)));
                }
            }
        }
        List<Figure> out = new ArrayList<>();
        for (Shape s : plan.syncShapes()) {
            for (int k = 0; k < configs.size(); k++) {
                Paired.Runs pr = runs.get(k + " " + s.name());
                Map<String, Object> cfg = new LinkedHashMap<>(s.describe());
                cfg.putAll(plan.loopConfig());
                cfg.put("settings", names.get(k));
                String prefix = "dispatcher." + k + "." + s.name();
                out.addAll(SyncBench.loopFigures(prefix + ".raw", "ioreqs/s", pr.reference(), cfg, "raw bound"));
                out.addAll(SyncBench.loopFigures(prefix + ".sim", "ioreqs/s", pr.sim(), cfg, "simulator"));
                out.add(Ratios.of(prefix + ".ratio", plan, pr, cfg, load, "simulator / raw bound under these settings"));
            }
        }
        return out;
    }
}
