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
 * java -Xmx8g -cp ... org.ioreqsim.sim.bench.ScaleProbe sweep DOMAINS VCPUS MILLIS RUNS
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
                    Integer.parseInt(args[4]), Simulation.akkaConfig());
        } else {
            throw new IllegalArgumentException("unknown probe " + kind);
        }
        System.out.println(RESULT + new ObjectMapper().writeValueAsString(r));
        System.out.flush();
        System.exit(0);
    }

    /** The model: domains x vCPUs with one QEMU-like server each in its stub domain, one ioreq per vCPU. */
    static Map<String, Object> sim(int domains, int vcpus, boolean histogram, Config akka) {
        Scenario s = Scenario.builtIn(BuiltInGuests.DEFAULT.withShape(domains, vcpus, 1).withMix(SimLoop.SYNC_ONLY),
                RunSettings.DEFAULT.withRequests(1, Duration.ofSeconds(10)),
                XenSettings.DEFAULT.withEmulators(EmulatorPlacement.STUBDOM));
        Map<String, Object> out = new LinkedHashMap<>();
        // Not closed: the JVM exits after reporting (terminating a million actors takes long).
        Simulation sim = Simulation.free(s, akka);
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        sim.prepare();
        long spawn = System.nanoTime() - t0;
        long after = usedAfterGc();
        if (histogram) {
            out.put("topClasses", histogram(Integer.getInteger("probe.histogram", 20)));
        }
        long t1 = System.nanoTime();
        RunReport r = sim.execute(n -> { });
        long run = System.nanoTime() - t1;
        out.put("spawnSeconds", spawn / 1e9);
        out.put("heapBeforeBytes", before);
        out.put("heapAfterSpawnBytes", after);
        out.put("heapAfterIoreqBytes", usedAfterGc());
        out.put("ioreqSeconds", run / 1e9);
        out.put("completed", r.ioreqs().completed());
        out.put("failures", r.emulatorFailures().size());
        return out;
    }

    /** The reference: parents x children trivial actors, each handling one message. */
    static Map<String, Object> trivial(int parents, int children, boolean histogram, Config akka)
            throws InterruptedException {
        CountDownLatch spawned = new CountDownLatch(parents * children);
        CountDownLatch answered = new CountDownLatch(parents * children);
        Map<String, Object> out = new LinkedHashMap<>();
        // Not terminated: the JVM exits after reporting.
        ActorSystem<TrivialActors.Command> system = ActorSystem.create(TrivialActors.guardian(parents, children,
                spawned, answered), "trivial", akka);
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        system.tell(TrivialActors.Spawn.INSTANCE);
        if (!spawned.await(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("spawning timed out");
        }
        long spawn = System.nanoTime() - t0;
        long after = usedAfterGc();
        if (histogram) {
            out.put("topClasses", histogram(Integer.getInteger("probe.histogram", 20)));
        }
        long t1 = System.nanoTime();
        system.tell(TrivialActors.Ping.INSTANCE);
        if (!answered.await(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("pings timed out");
        }
        long run = System.nanoTime() - t1;
        out.put("spawnSeconds", spawn / 1e9);
        out.put("heapBeforeBytes", before);
        out.put("heapAfterSpawnBytes", after);
        out.put("heapAfterIoreqBytes", usedAfterGc());
        out.put("ioreqSeconds", run / 1e9);
        out.put("completed", (long) parents * children);
        return out;
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
