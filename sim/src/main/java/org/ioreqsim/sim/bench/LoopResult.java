package org.ioreqsim.sim.bench;

/**
 * What one closed-loop measurement gave.
 *
 * @param completed      requests completed while the loop ran
 * @param elapsedSeconds from the start signal to the last client's stop
 * @param perSecond      completions per second in the loop's steady state ({@link Window}), or
 *                       completed / elapsed when the loop was too short for a window
 * @param p50Micros      median request latency
 * @param p99Micros      99th-percentile request latency
 * @param cpuNanosPerOp  process CPU time per completed request while the loop ran (all threads), or -1
 * @param bytesPerOp     heap bytes allocated per completed request while the loop ran, or -1
 */
public record LoopResult(long completed, double elapsedSeconds, double perSecond, double p50Micros,
                         double p99Micros, double cpuNanosPerOp, double bytesPerOp) {

    static LoopResult of(long completed, long elapsedNanos, double windowRate, org.HdrHistogram.Histogram latencies,
                         long cpuNanos, long allocated) {
        double secs = elapsedNanos / 1e9;
        return new LoopResult(completed, secs, windowRate > 0 ? windowRate : completed / secs, latencies.getValueAtPercentile(50) / 1000.0,
                latencies.getValueAtPercentile(99) / 1000.0, perOp(cpuNanos, completed), perOp(allocated, completed));
    }

    static double perOp(long total, long ops) {
        return total < 0 || ops <= 0 ? -1 : (double) total / ops;
    }
}
