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
     * on 2 cores otherwise takes much of the measured spawn. Two small warm-ups were not enough: in one
     * probe of 1,000,000 vCPUs after two spawns of 20,000 the compilers still worked 12.2 s (36 C2
     * compilations: the domain's constructor, the port binds, the emulator's start-up) inside the 14 s
     * measured spawn, because a domain-level method runs once per domain and 400 domains are far from
     * C2's thresholds. So the warm-ups go on, at up to {@link #WARMUP_DOMAINS} domains, until one
     * compiles for less than {@link #SETTLED_JIT_SHARE} of its wall time: at least {@link #MIN_WARMUPS},
     * at most {@link #MAX_WARMUPS}.
     */
    static final int MIN_WARMUPS = 2;
    static final int MAX_WARMUPS = 12;
    /** The most domains (of the measurement's shape) a warm-up spawns: 100,000 vCPUs at 100 per domain. */
    static final int WARMUP_DOMAINS = 1_000;
    /** A warm-up after which the JIT counts as settled compiled for less than this share of its wall time. */
    static final double SETTLED_JIT_SHARE = 0.10;

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
     * Warm-up spawns (at most {@link #WARMUP_DOMAINS} domains, run and torn down) until the JIT has
     * settled, then the measured one, with the JIT's time during it. The measured side is not closed: the JVM exits after reporting (terminating a
     * million actors takes long).
     */
    private static Map<String, Object> measure(Side side, int domains, int vcpus, boolean histogram)
            throws InterruptedException {
        long warmupNanos = 0;
        List<Map<String, Object>> warmups = new ArrayList<>();
        boolean settled = false;
        int warmDomains = Math.min(domains, WARMUP_DOMAINS);
        while (warmups.size() < MAX_WARMUPS && !(settled && warmups.size() >= MIN_WARMUPS)) {
            long jit = CpuClock.jitMillis();
            long w = System.nanoTime();
            try (Spawned warm = side.spawn(warmDomains, vcpus)) {
                warm.ioreq();
            }
            long wall = System.nanoTime() - w;
            warmupNanos += wall;
            double share = jit < 0 ? 0 : (CpuClock.jitMillis() - jit) * 1e6 / wall;
            settled = share < SETTLED_JIT_SHARE;
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("seconds", Stats.round(wall / 1e9, 3));
            one.put("jitShare", Stats.round(share, 3));
            warmups.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        long before = usedAfterGc();
        long jit0 = CpuClock.jitMillis();
        long t0 = System.nanoTime();
        Spawned measured = side.spawn(domains, vcpus);
        long spawn = System.nanoTime() - t0;
        long spawnJit = jit0 < 0 ? -1 : CpuClock.jitMillis() - jit0;
        long after = usedAfterGc();
        if (histogram) {
            out.put("topClasses", histogram(Integer.getInteger("probe.histogram", 20)));
        }
        long t1 = System.nanoTime();
        long completed = measured.ioreq();
        long run = System.nanoTime() - t1;
        out.put("spawnSeconds", spawn / 1e9);
        out.put("spawnJitMillis", spawnJit);
        out.put("heapBeforeBytes", before);
        out.put("heapAfterSpawnBytes", after);
        out.put("heapAfterIoreqBytes", usedAfterGc());
        out.put("ioreqSeconds", run / 1e9);
        out.put("completed", completed);
        out.put("warmups", warmups.size());
        out.put("warmupVcpus", warmDomains * vcpus);
        out.put("warmupSeconds", warmupNanos / 1e9);
        out.put("warmupSpawns", warmups);
        out.put("jitSettled", settled);
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
