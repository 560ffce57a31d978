package org.ioreqsim.sim.bench;

import com.typesafe.config.Config;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bench} prints: the machine, the actor-system settings, the plan, and every figure; as
 * text, or as one JSON object ({@code --json}).
 *
 * @param tool       always {@code ioreq-sim bench}
 * @param mode       {@code full} or {@code quick}
 * @param machine    processors, memory, JVM, OS
 * @param dispatcher the default dispatcher's settings every loop ran on
 * @param seconds    wall time of the whole run
 * @param figures    every figure, in section order
 */
public record BenchReport(String tool, String mode, Map<String, Object> machine, Map<String, Object> dispatcher,
                          double seconds, List<Figure> figures) {

    public static BenchReport of(BenchPlan plan, List<Figure> figures, double seconds) {
        return new BenchReport("ioreq-sim bench", plan.mode(), machineInfo(), dispatcherInfo(plan.akka()),
                Stats.round(seconds, 4), List.copyOf(figures));
    }

    /** The figure called {@code name}, or null. */
    public Figure figure(String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    static Map<String, Object> machineInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("processors", Runtime.getRuntime().availableProcessors());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("memoryBytes", os.getTotalMemorySize());
        }
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return m;
    }

    static Map<String, Object> dispatcherInfo(Config akka) {
        Config d = akka.getConfig("akka.actor.default-dispatcher");
        Map<String, Object> m = new LinkedHashMap<>();
        String executor = d.getString("executor");
        m.put("executor", executor);
        m.put("throughput", d.getInt("throughput"));
        if (executor.endsWith("FairExecutorConfigurator")) {
            int n = d.getInt("fair-executor.parallelism");
            m.put("fair-executor", Map.of("parallelism", n > 0 ? n : Runtime.getRuntime().availableProcessors(),
                    "spin-micros", d.hasPath("fair-executor.spin-micros") ? d.getLong("fair-executor.spin-micros") : org.ioreqsim.sim.exec.FairExecutorConfigurator.DEFAULT_SPIN_MICROS));
            return m;
        }
        Config fj = d.getConfig("fork-join-executor");
        m.put("fork-join-executor", Map.of("parallelism-min", fj.getInt("parallelism-min"), "parallelism-factor",
                fj.getDouble("parallelism-factor"), "parallelism-max", fj.getInt("parallelism-max"),
                "task-peeking-mode", fj.getString("task-peeking-mode")));
        if (executor.contains("affinity")) {
            Config af = d.getConfig("affinity-pool-executor");
            m.put("affinity-pool-executor", Map.of("parallelism-min", af.getInt("parallelism-min"),
                    "parallelism-factor", af.getDouble("parallelism-factor"), "parallelism-max",
                    af.getInt("parallelism-max")));
        }
        return m;
    }

    /** The text summary. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("ioreq-sim bench (%s)  %d processors, %s%n", mode, machine.get("processors"),
                machine.get("java")));
        sb.append(String.format("dispatcher: %s, throughput %s%n", dispatcher.get("executor"),
                dispatcher.get("throughput")));
        String section = "";
        for (Figure f : figures) {
            String s = f.name().substring(0, f.name().indexOf('.'));
            if (!s.equals(section)) {
                section = s;
                sb.append(String.format("%n[%s]%n", section));
            }
            String value = f.measured() ? format(f.value()) : String.valueOf(f.config().get("status"));
            sb.append(String.format("  %-40s %16s  %s%n", f.name(), value, f.measured() ? f.unit() : ""));
        }
        sb.append(String.format("%ntook %.0f s%n", seconds));
        return sb.toString();
    }

    private static String format(double v) {
        if (Math.abs(v) >= 1000) {
            return String.format("%,.0f", v);
        }
        return String.format("%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
