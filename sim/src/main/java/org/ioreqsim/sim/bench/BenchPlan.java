package org.ioreqsim.sim.bench;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one {@code bench} run measures and how long: the closed-loop shapes, the repetitions, the
 * scale sizes, and the actor-system settings every loop runs on.
 *
 * @param mode          {@code full} or {@code quick}
 * @param runs          repetitions of each loop (figures are medians over them)
 * @param duration      length of one closed-loop measurement
 * @param warmup        length of the warm-up loop of each shape (not reported)
 * @param syncShapes    the synchronous shapes, run by the raw bound and the simulator
 * @param bufferedShape the shape of the buffered comparison
 * @param scaleVcpus    the vCPU counts of the spawn and memory measurement (domains of 100 vCPUs)
 * @param childHeap     the -Xmx of the JVMs the scale measurement forks
 * @param sections      which sections run: sync, buffered, scale, controlled
 * @param akka          the actor-system settings of every loop
 */
public record BenchPlan(String mode, int runs, Duration duration, Duration warmup, List<Shape> syncShapes,
                        Shape bufferedShape, List<Integer> scaleVcpus, String childHeap, Set<String> sections,
                        Config akka) {

    public static final Set<String> SECTIONS = Set.of("sync", "buffered", "scale", "controlled");
    /** vCPUs per domain in the scale measurement (10,000 domains x 100 = 1,000,000). */
    public static final int SCALE_VCPUS_PER_DOMAIN = 100;

    public BenchPlan {
        syncShapes = List.copyOf(syncShapes);
        scaleVcpus = List.copyOf(scaleVcpus);
        sections = Set.copyOf(sections);
    }

    /**
     * The full run: 5 repetitions of 2 s per shape after a 3 s warm-up of each side, scale at 100,000 and
     * 1,000,000 vCPUs in 8 GiB. The warm-up is as long as the JIT needs: a fresh JVM's first 2 s loop of
     * the simulator costs about twice the CPU per ioreq of its third (docs/benchmarks.md), and the
     * 500 ms warm-up used before left the first repetitions of every section on partly compiled code.
     */
    public static BenchPlan full(Config akka) {
        return new BenchPlan("full", 5, Duration.ofSeconds(2), Duration.ofSeconds(3), defaultShapes(),
                Shape.of(10, 10), List.of(100_000, 1_000_000), "8g", SECTIONS, akka);
    }

    /** The smoke run CI may use (well under a minute): one short repetition, scale at 10,000 vCPUs. */
    public static BenchPlan quick(Config akka) {
        return new BenchPlan("quick", 1, Duration.ofMillis(300), Duration.ofMillis(200), defaultShapes(),
                Shape.of(10, 10), List.of(10_000), "2g", SECTIONS, akka);
    }

    /** The shapes: 1 domain x 1,000 vCPUs, 100 x 10, 1 x 10,000 (one server each). */
    static List<Shape> defaultShapes() {
        return List.of(Shape.of(1, 1000), Shape.of(100, 10), Shape.of(1, 10_000));
    }

    public BenchPlan withRuns(int r) {
        return new BenchPlan(mode, r, duration, warmup, syncShapes, bufferedShape, scaleVcpus, childHeap, sections,
                akka);
    }

    public BenchPlan withDuration(Duration d) {
        return new BenchPlan(mode, runs, d, warmup, syncShapes, bufferedShape, scaleVcpus, childHeap, sections,
                akka);
    }

    public BenchPlan withSections(Set<String> s) {
        return new BenchPlan(mode, runs, duration, warmup, syncShapes, bufferedShape, scaleVcpus, childHeap, s,
                akka);
    }

    public BenchPlan withChildHeap(String heap) {
        return new BenchPlan(mode, runs, duration, warmup, syncShapes, bufferedShape, scaleVcpus, heap, sections,
                akka);
    }

    /** Seeds per controlled-mode run: the default {@code stress} campaign's 1,000, or 100 when quick. */
    int controlledSeeds() {
        return mode.equals("full") ? 1000 : 100;
    }

    /**
     * The least time controlled mode warms up before it is measured: campaigns back to back until this
     * has passed (at least one) and the JIT has settled ({@link #controlledWarmupLimit}). The JIT needs
     * 40 to 55 s of a 2-core machine for the model, the monitors, the harness and Akka (it keeps one core
     * busy meanwhile, docs/benchmarks.md); over that time a two-worker campaign's rate rises from about
     * 200 to about 3,000 schedules/s.
     */
    Duration controlledWarmup() {
        return mode.equals("full") ? Duration.ofSeconds(30) : Duration.ZERO;
    }

    /** The most time controlled mode warms up, settled or not (zero when quick: one campaign). */
    Duration controlledWarmupLimit() {
        return mode.equals("full") ? Duration.ofSeconds(120) : Duration.ZERO;
    }

    public boolean runs(String section) {
        return sections.contains(section);
    }

    /** How every closed loop was run, as figures report it. */
    Map<String, Object> loopConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("durationSeconds", duration.toMillis() / 1000.0);
        m.put("warmupSeconds", warmup.toMillis() / 1000.0);
        m.put("interleaved", "raw and simulator alternate within each repetition, in one JVM");
        m.put("throughputWindow", "completions between 20% and 90% of each loop (ramp-up and drain left out); "
                + "buffered: all buffered writes over the whole loop");
        return m;
    }
}
