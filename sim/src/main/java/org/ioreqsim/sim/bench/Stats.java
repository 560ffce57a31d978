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

    /** Rounds to {@code digits} significant digits, for reports. */
    static double round(double v, int digits) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double scale = Math.pow(10, digits - Math.ceil(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }
}
