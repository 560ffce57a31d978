package org.ioreqsim.sim.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * The JVM's CPU time and allocated bytes, for per-request figures that machine noise (other tenants on
 * the same cores) disturbs less than wall-clock throughput: allocation per request is exact, CPU time
 * per request is steadier than requests per second.
 */
final class CpuClock {
    private CpuClock() {
    }

    /** Milliseconds the JIT compilers have spent so far, or -1 where the JVM does not say. */
    static long jitMillis() {
        var c = ManagementFactory.getCompilationMXBean();
        return c == null || !c.isCompilationTimeMonitoringSupported() ? -1 : c.getTotalCompilationTime();
    }

    /** Process CPU time in nanoseconds, or -1 where the platform does not say. */
    static long processNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Bytes allocated so far by each live thread, by thread id (empty where the platform does not say). */
    static Map<Long, Long> allocatedByThread() {
        Map<Long, Long> out = new HashMap<>();
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
            long[] ids = t.getAllThreadIds();
            long[] bytes = t.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    out.put(ids[i], bytes[i]);
                }
            }
        }
        return out;
    }

    /**
     * Bytes allocated between two {@link #allocatedByThread} readings by threads alive at the second
     * (threads that ended in between are missed), or -1 if either reading is empty.
     */
    static long allocatedBetween(Map<Long, Long> before, Map<Long, Long> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }
}
