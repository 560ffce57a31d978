package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.ioreqsim.sim.run.RunReport;
import org.ioreqsim.sim.run.Simulation;
import org.ioreqsim.sim.scenario.BuiltInGuests;
import org.ioreqsim.sim.scenario.EmulatorPlacement;
import org.ioreqsim.sim.scenario.RunSettings;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.XenSettings;

/**
 * The scale measurement's child JVM (so that each measurement starts from a clean heap): spawns the
 * model or the trivial reference, and prints one {@code RESULT {json}} line with the spawn time, the
 * heap used after GC before and after spawning, and the time for every vCPU to complete one ioreq.
 *
 * <pre>
 * java -Xmx8g -cp ... org.ioreqsim.sim.bench.ScaleProbe sim|trivial DOMAINS VCPUS [histogram]
 * java -Xmx8g -cp ... org.ioreqsim.sim.bench.ScaleProbe sweep DOMAINS VCPUS MILLIS RUNS WARMUP_MILLIS
 * </pre>
 */
public final class ScaleProbe {
    static final String RESULT = "RESULT ";

    private ScaleProbe() {
    }

    public static void main(String[] args) {
        try {
            probe(args);
        } catch (Throwable t) {
            // the actor system's threads would keep this JVM, and the bench waiting on it, alive for ever
            System.out.flush();
            System.err.println("ioreq-sim scale probe failed: " + t);
            System.exit(1);
        }
    }

    private static void probe(String[] args) throws Exception {
        String kind = args[0];
        int domains = Integer.parseInt(args[1]);
        int vcpus = Integer.parseInt(args[2]);
        Map<String, Object> r;
        if (kind.equals("sim")) {
            r = sim(domains, vcpus, args.length > 3 && args[3].equals("histogram"), Simulation.akkaConfig());
        } else if (kind.equals("trivial")) {
            r = trivial(domains, vcpus, args.length > 3 && args[3].equals("histogram"), Simulation.akkaConfig());
        } else if (kind.equals("sweep")) {
            r = Sweep.point(Shape.of(domains, vcpus), Duration.ofMillis(Long.parseLong(args[3])),
                    Duration.ofMillis(Long.parseLong(args[5])), Integer.parseInt(args[4]), Simulation.akkaConfig());
        } else {
            throw new IllegalArgumentException("unknown probe " + kind);
        }
        System.out.println(RESULT + new ObjectMapper().writeValueAsString(r));
        System.out.flush();
        System.exit(0);
    }

    /**
     * Warm-up spawns before a measurement: the JIT compiles the spawn and start-up paths first, which
     * on 2 cores otherwise takes most of a fresh JVM's first spawn (10.9 s of compiler time in one
     * profile of 100,000 vCPUs).
     */
    static final int WARMUPS = 2;
    /** The most domains (of the measurement's shape) a warm-up spawns: 20,000 vCPUs at 100 per domain. */
    static final int WARMUP_DOMAINS = 200;

    /** One spawn, run and teardown of one side, timed. */
    private interface Side {
        /** Spawns; the heap is measured between {@link Spawned#ioreq} and this. */
        Spawned spawn(int domains, int vcpus) throws InterruptedException;
    }

    private interface Spawned extends AutoCloseable {
        /** Every vCPU completes one ioreq; returns how many did. */
        long ioreq() throws InterruptedException;

        @Override
        void close();
    }

    /** The model: domains x vCPUs with one QEMU-like server each in its stub domain, one ioreq per vCPU. */
    static Map<String, Object> sim(int domains, int vcpus, boolean histogram, Config akka) throws InterruptedException {
        int[] failures = new int[1];
        Side side = (d, v) -> {
            Scenario s = Scenario.builtIn(BuiltInGuests.DEFAULT.withShape(d, v, 1).withMix(SimLoop.SYNC_ONLY),
                    RunSettings.DEFAULT.withRequests(1, Duration.ofSeconds(10)),
                    XenSettings.DEFAULT.withEmulators(EmulatorPlacement.STUBDOM));
            Simulation sim = Simulation.free(s, akka);
            sim.prepare();
            return new Spawned() {
                @Override
                public long ioreq() {
                    RunReport r = sim.execute(n -> { });
                    failures[0] = r.emulatorFailures().size();
                    return r.ioreqs().completed();
                }

                @Override
                public void close() {
                    sim.close();
                }
            };
        };
        Map<String, Object> out = measure(side, domains, vcpus, histogram);
        out.put("failures", failures[0]);
        return out;
    }

    /** The reference: parents x children trivial actors, each handling one message. */
    static Map<String, Object> trivial(int parents, int children, boolean histogram, Config akka)
            throws InterruptedException {
        Side side = (p, c) -> {
            CountDownLatch spawned = new CountDownLatch(p * c);
            CountDownLatch answered = new CountDownLatch(p * c);
            ActorSystem<TrivialActors.Command> system = ActorSystem.create(TrivialActors.guardian(p, c, spawned,
                    answered), "trivial", akka);
            system.tell(TrivialActors.Spawn.INSTANCE);
            await(spawned, "spawning");
            return new Spawned() {
                @Override
                public long ioreq() throws InterruptedException {
                    system.tell(TrivialActors.Ping.INSTANCE);
                    await(answered, "pings");
                    return (long) p * c;
                }

                @Override
                public void close() {
                    system.terminate();
                    system.getWhenTerminated().toCompletableFuture().join();
                }
            };
        };
        return measure(side, parents, children, histogram);
    }

    /**
     * {@link #WARMUPS} warm-up spawns (at most {@link #WARMUP_DOMAINS} domains, run and torn down), then
     * the measured one. The measured side is not closed: the JVM exits after reporting (terminating a
     * million actors takes long).
     */
    private static Map<String, Object> measure(Side side, int domains, int vcpus, boolean histogram)
            throws InterruptedException {
        long warmupNanos = 0;
        for (int i = 0; i < WARMUPS; i++) {
            long w = System.nanoTime();
            try (Spawned warm = side.spawn(Math.min(domains, WARMUP_DOMAINS), vcpus)) {
                warm.ioreq();
            }
            warmupNanos += System.nanoTime() - w;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        Spawned measured = side.spawn(domains, vcpus);
        long spawn = System.nanoTime() - t0;
        long after = usedAfterGc();
        if (histogram) {
            out.put("topClasses", histogram(Integer.getInteger("probe.histogram", 20)));
        }
        long t1 = System.nanoTime();
        long completed = measured.ioreq();
        long run = System.nanoTime() - t1;
        out.put("spawnSeconds", spawn / 1e9);
        out.put("heapBeforeBytes", before);
        out.put("heapAfterSpawnBytes", after);
        out.put("heapAfterIoreqBytes", usedAfterGc());
        out.put("ioreqSeconds", run / 1e9);
        out.put("completed", completed);
        out.put("warmups", WARMUPS);
        out.put("warmupVcpus", Math.min(domains, WARMUP_DOMAINS) * vcpus);
        out.put("warmupSeconds", warmupNanos / 1e9);
        return out;
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException(what + " timed out");
        }
    }

    /** Heap in use after full collections (System.gc() until it stops shrinking, at most 5 times). */
    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used * 0.99) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    /** The {@code n} classes with the most live bytes (GC.class_histogram), as "bytes instances class". */
    static List<String> histogram(int n) {
        List<String> out = new ArrayList<>();
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    out.add(f[2] + " bytes " + f[1] + " instances " + f[3]);
                    if (out.size() == n) {
                        break;
                    }
                }
            }
        } catch (Exception e) {
            out.add("histogram unavailable: " + e.getMessage());
        }
        return out;
    }
}
