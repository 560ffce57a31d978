package org.ioreqsim.sim.bench;

import java.util.Arrays;
import java.util.List;

/** Small statistics over repeated measurements. */
final class Stats {
    private Stats() {
    }

    /** The median (the mean of the middle two for an even count); NaN for none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Min, median and max of {@code values}, rounded to 4 significant digits. */
    static java.util.Map<String, Double> spread(List<Double> values) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("min", round(values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), 4));
        m.put("median", round(median(values), 4));
        m.put("max", round(values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), 4));
        return m;
    }

    /** The system's load average over the last minute, as the OS reports it (-1 where it does not). */
    static double loadAverage() {
        return round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 3);
    }

    /** Rounds to {@code digits} significant digits, for reports. */
    static double round(double v, int digits) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double scale = Math.pow(10, digits - Math.ceil(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }
}
