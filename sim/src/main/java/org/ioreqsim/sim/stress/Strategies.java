package org.ioreqsim.sim.stress;

import java.util.function.Supplier;

/** Makes strategies by name: {@code random}, {@code pct}, {@code pct-lifecycle}. */
public final class Strategies {
    private Strategies() {
    }

    /** A fresh strategy of {@code name} with PCT depth {@code depth}. */
    public static Strategy create(String name, int depth) {
        return switch (name) {
            case "random" -> new RandomWalk();
            case "pct" -> new Pct(depth, false);
            case "pct-lifecycle" -> new Pct(depth, true);
            default -> throw new IllegalArgumentException("unknown strategy '" + name + "' (known: "
                    + String.join(", ", StressConfig.STRATEGIES) + ")");
        };
    }

    /** A factory of the strategy {@code cfg} names. */
    public static Supplier<Strategy> of(StressConfig cfg) {
        return () -> create(cfg.strategy(), cfg.depth());
    }
}
