package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorSystem;
import java.util.concurrent.TimeUnit;

/** Orchestrates a benchmark run. */
public final class Bench {
    private Bench() {
    }

    /** Terminates an actor system and waits for it. */
    static void terminate(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Shutting down: nothing left to measure.
        }
    }

    static final com.typesafe.config.Config AKKA = com.typesafe.config.ConfigFactory.parseString(
            System.getProperty("tmp.akka", "")).withFallback(org.ioreqsim.sim.Simulation.akkaConfig());

    public static void main(String[] args) {
        java.time.Duration d = java.time.Duration.ofMillis(Long.parseLong(args[0]));
        int runs = Integer.parseInt(args[1]);
        String mode = args[2];
        java.util.List<Shape> shapes = new java.util.ArrayList<>();
        for (String spec : java.util.Arrays.copyOfRange(args, 3, args.length)) {
            String[] p = spec.split("x");
            shapes.add(Shape.of(Integer.parseInt(p[0]), Integer.parseInt(p[1])));
        }
        for (Shape s : shapes) {
            RawLoop.run(s, java.time.Duration.ofMillis(500), AKKA);
            SimLoop.sync(s, java.time.Duration.ofMillis(500), AKKA);
        }
        java.util.Map<String, java.util.List<double[]>> all = new java.util.LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            for (Shape s : shapes) {
                LoopResult raw = null;
                LoopResult sim = null;
                if (mode.equals("wrapab")) {
                    System.setProperty("tmp.wrap", "false");
                    raw = RawLoop.run(s, d, AKKA);
                    System.setProperty("tmp.wrap", "true");
                    sim = RawLoop.run(s, d, AKKA);
                } else if (i % 2 == 0) {
                    raw = RawLoop.run(s, d, AKKA);
                    sim = SimLoop.sync(s, d, AKKA);
                } else {
                    sim = SimLoop.sync(s, d, AKKA);
                    raw = RawLoop.run(s, d, AKKA);
                }
                System.out.printf("%s raw %.0f/s %.0fns/op %.0fB/op p50 %.1f p99 %.1f | sim %.0f/s %.0fns/op %.0fB/op"
                        + " p50 %.1f p99 %.1f | ratio %.3f cpu-ratio %.3f%n",
                        s.name(), raw.perSecond(), raw.cpuNanosPerOp(), raw.bytesPerOp(), raw.p50Micros(),
                        raw.p99Micros(), sim.perSecond(), sim.cpuNanosPerOp(), sim.bytesPerOp(), sim.p50Micros(),
                        sim.p99Micros(),
                        sim.perSecond() / raw.perSecond(), raw.cpuNanosPerOp() / sim.cpuNanosPerOp());
                all.computeIfAbsent(s.name(), k -> new java.util.ArrayList<>()).add(new double[] {raw.perSecond(),
                    sim.perSecond(), sim.perSecond() / raw.perSecond(), raw.cpuNanosPerOp(), sim.cpuNanosPerOp(),
                    raw.cpuNanosPerOp() / sim.cpuNanosPerOp(), sim.bytesPerOp()});
            }
        }
        all.forEach((k, v) -> {
            double[] med = new double[7];
            for (int j = 0; j < 7; j++) {
                final int jj = j;
                double[] col = v.stream().mapToDouble(a -> a[jj]).sorted().toArray();
                med[j] = col[col.length / 2];
            }
            double minRaw = v.stream().mapToDouble(a -> a[3]).min().orElse(0);
            double minSim = v.stream().mapToDouble(a -> a[4]).min().orElse(0);
            System.out.printf("MEDIAN %s raw %.0f/s sim %.0f/s ratio %.3f | cpu raw %.0f sim %.0f ns/op cpu-ratio %.3f"
                    + " | min cpu raw %.0f sim %.0f (%.3f) | sim %.0f B/op%n",
                    k, med[0], med[1], med[2], med[3], med[4], med[5], minRaw, minSim, minRaw / minSim, med[6]);
        });
    }
}
