package org.ioreqsim.sim.stress;

import java.util.List;
import java.util.SplittableRandom;

/** Uniformly random among the enabled actors at every step. */
public final class RandomWalk implements Strategy {
    private SplittableRandom rng;

    @Override
    public String describe() {
        return "random";
    }

    @Override
    public void start(long seed, Program program) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public String pick(List<String> enabled, StepView view) {
        return enabled.get(rng.nextInt(enabled.size()));
    }
}
