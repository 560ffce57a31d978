package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark run: the sections of a {@link BenchPlan} in order (sync, buffered, scale, controlled),
 * each adding its figures.
 */
public final class Bench {
    private Bench() {
    }

    /** Runs the plan's sections; {@code chart}, when not null, also runs the sweep and writes its PNG. */
    public static BenchReport run(BenchPlan plan, Path chart, Paired.Progress progress) {
        List<Figure> figures = new ArrayList<>();
        long start = System.nanoTime();
        if (plan.runs("sync")) {
            figures.addAll(SyncBench.run(plan, progress));
        }
        if (plan.runs("buffered")) {
            figures.addAll(BufferedBench.run(plan, progress));
        }
        if (plan.runs("scale")) {
            figures.addAll(ScaleBench.run(plan, progress));
        }
        if (plan.runs("controlled")) {
            figures.addAll(ControlledBench.run(plan, progress));
        }
        if (chart != null) {
            figures.addAll(Sweep.run(plan, chart, progress));
        }
        return BenchReport.of(plan, figures, (System.nanoTime() - start) / 1e9);
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
}
