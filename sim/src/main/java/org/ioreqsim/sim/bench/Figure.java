package org.ioreqsim.sim.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One measured figure of a benchmark run, as {@code bench --json} prints it.
 *
 * @param name   a stable dotted name, e.g. {@code sync.sim.throughput}
 * @param value  the figure (a median when several runs were made), or {@code null} when not measured
 * @param unit   what it counts, e.g. {@code ioreqs/s}, {@code us}, {@code bytes/vCPU}, {@code ratio}
 * @param config how it was measured: shape, durations, runs, heap, and so on
 */
public record Figure(String name, Double value, String unit, Map<String, Object> config) {

    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    public static Figure of(String name, double value, String unit, Map<String, Object> config) {
        return new Figure(name, value, unit, config);
    }

    /** A figure that is not measured (yet); {@code why} says so. */
    public static Figure notMeasured(String name, String unit, String why) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", why);
        return new Figure(name, null, unit, c);
    }

    public boolean measured() {
        return value != null;
    }
}
