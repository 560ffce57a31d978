package org.ioreqsim.sim.stress;

import java.util.List;

/**
 * Follows recorded decisions. Exact: every recorded key must be enabled when its step comes, else the
 * replay has diverged. Guided (for shrinking, where the program changed under the recording): the next
 * recorded key that is enabled within a short look-ahead is taken, skipped ones are dropped, and when
 * nothing matches the fallback strategy chooses.
 */
public final class ReplayStrategy implements Strategy {

    /** A recorded decision could not be followed. */
    public static final class Divergence extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Divergence(String message) {
            super(message, null, false, false);
        }
    }

    private static final int LOOK_AHEAD = 12;

    private final List<String> decisions;
    private final Strategy fallback;
    private int next;

    private ReplayStrategy(List<String> decisions, Strategy fallback) {
        this.decisions = List.copyOf(decisions);
        this.fallback = fallback;
    }

    public static ReplayStrategy exact(List<String> decisions) {
        return new ReplayStrategy(decisions, null);
    }

    public static ReplayStrategy guided(List<String> decisions, Strategy fallback) {
        return new ReplayStrategy(decisions, fallback);
    }

    @Override
    public String describe() {
        return fallback == null ? "replay" : "guided(" + fallback.describe() + ")";
    }

    @Override
    public void start(long seed, Program program) {
        next = 0;
        if (fallback != null) {
            fallback.start(seed, program);
        }
    }

    @Override
    public String pick(List<String> enabled, StepView view) {
        if (fallback == null) {
            if (next >= decisions.size()) {
                throw new Divergence("the recording ends at step " + decisions.size() + " but the run goes on");
            }
            String d = decisions.get(next++);
            if (!enabled.contains(d)) {
                throw new Divergence("step " + view.step() + ": recorded " + d + " is not runnable (runnable: "
                        + enabled + ")");
            }
            return d;
        }
        for (int i = next; i < Math.min(decisions.size(), next + LOOK_AHEAD); i++) {
            if (enabled.contains(decisions.get(i))) {
                next = i + 1;
                return decisions.get(i);
            }
        }
        return fallback.pick(enabled, view);
    }

    /** Recorded decisions not yet used. */
    public int remaining() {
        return decisions.size() - next;
    }
}
