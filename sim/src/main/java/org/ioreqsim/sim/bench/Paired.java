package org.ioreqsim.sim.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference loop and the simulator measured in pairs: each repetition runs both back to back, in
 * alternating order, so that both see the same machine (other tenants on a shared machine change its
 * speed from one second to the next); the ratio of each pair is what the figures' ratio is the median
 * of.
 */
public final class Paired {
    /** One closed-loop measurement of a shape. */
    @FunctionalInterface
    interface Loop {
        LoopResult run(Shape shape, Duration duration);
    }

    /** The repetitions of one shape. */
    public record Runs(List<LoopResult> reference, List<LoopResult> sim) {
        List<Double> ratios() {
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < sim.size(); i++) {
                out.add(sim.get(i).perSecond() / reference.get(i).perSecond());
            }
            return out;
        }
    }

    private Paired() {
    }

    /** Warms each shape up once (unless {@code warmup} is zero), then runs {@code runs} interleaved pairs. */
    public static Map<Shape, Runs> measure(List<Shape> shapes, int runs, Duration duration, Duration warmup,
                                    Loop reference, Loop sim, Progress progress) {
        for (Shape s : shapes) {
            if (warmup.isZero()) {
                break;
            }
            progress.note("warm-up " + s.name());
            reference.run(s, warmup);
            sim.run(s, warmup);
        }
        Map<Shape, Runs> out = new LinkedHashMap<>();
        shapes.forEach(s -> out.put(s, new Runs(new ArrayList<>(), new ArrayList<>())));
        for (int r = 0; r < runs; r++) {
            for (Shape s : shapes) {
                progress.note("run " + (r + 1) + "/" + runs + " " + s.name());
                Runs rs = out.get(s);
                if (r % 2 == 0) {
                    rs.reference().add(reference.run(s, duration));
                    rs.sim().add(sim.run(s, duration));
                } else {
                    rs.sim().add(sim.run(s, duration));
                    rs.reference().add(reference.run(s, duration));
                }
            }
        }
        return out;
    }

    /** Where long runs say what they are doing (stderr), or nowhere. */
    public interface Progress {
        void note(String what);

        Progress NONE = w -> { };
    }
}
