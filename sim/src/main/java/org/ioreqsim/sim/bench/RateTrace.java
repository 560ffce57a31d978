package org.ioreqsim.sim.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.ioreqsim.sim.run.Simulation;

/**
 * A closed loop's rate over time: one line every 250 ms with the completions per second, the process
 * CPU per completion, and the JIT's and the collector's time in that interval. It shows what a loop's
 * single figure hides: the warm-up of the JIT, and the phases in which the same loop on the same actor
 * system runs at a third of its usual rate (docs/benchmarks.md, "Why the ratios swing").
 *
 * <pre>
 * java -cp sim/target/ioreq-sim.jar:sim/target/lib/* org.ioreqsim.sim.bench.RateTrace raw|sim DOMAINS VCPUS SECONDS [HOCON]
 * </pre>
 */
public final class RateTrace {
    private static final long TICK_NANOS = 250_000_000L;

    private RateTrace() {
    }

    public static void main(String[] args) {
        if (args.length < 4 || !(args[0].equals("raw") || args[0].equals("sim"))) {
            System.err.println("usage: RateTrace raw|sim DOMAINS VCPUS SECONDS [HOCON]");
            System.exit(2);
        }
        try {
            Shape shape = Shape.of(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            Duration d = Duration.ofSeconds(Long.parseLong(args[3]));
            Config akka = Simulation.akkaConfig();
            if (args.length > 4) {
                akka = ConfigFactory.parseString(args[4]).withFallback(akka);
            }
            System.out.println("seconds ioreqs/s cpuNsPerIoreq jitMs gcMs");
            LoopResult r = args[0].equals("raw") ? RawLoop.run(shape, d, akka, RateTrace::trace)
                    : SimLoop.sync(shape, d, akka, RateTrace::trace);
            System.out.printf("whole loop: %.0f ioreqs/s, %.0f ns CPU per ioreq%n", r.perSecond(), r.cpuNanosPerOp());
            System.exit(0);
        } catch (RuntimeException e) {
            System.err.println("ioreq-sim rate trace failed: " + e);
            System.exit(1);
        }
    }

    /** Prints one line per tick until the loop's duration is over; reports no rate of its own. */
    private static double trace(long start, Duration duration, LongSupplier completed) {
        long end = start + duration.toNanos();
        long lastAt = start;
        long lastDone = completed.getAsLong();
        long lastCpu = CpuClock.processNanos();
        long lastJit = Math.max(0, CpuClock.jitMillis());
        long lastGc = gcMillis();
        for (long next = start + TICK_NANOS; next <= end; next += TICK_NANOS) {
            Window.sleepUntil(next);
            long now = System.nanoTime();
            long done = completed.getAsLong();
            long cpu = CpuClock.processNanos();
            long jit = Math.max(0, CpuClock.jitMillis());
            long gc = gcMillis();
            long n = done - lastDone;
            System.out.printf("%.2f %.0f %d %d %d%n", (now - start) / 1e9, n * 1e9 / (now - lastAt),
                    n > 0 && cpu >= 0 ? (cpu - lastCpu) / n : -1, jit - lastJit, gc - lastGc);
            lastAt = now;
            lastDone = done;
            lastCpu = cpu;
            lastJit = jit;
            lastGc = gc;
        }
        return -1;
    }

    private static long gcMillis() {
        long t = 0;
        for (var g : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, g.getCollectionTime());
        }
        return t;
    }
}
