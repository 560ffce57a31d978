package org.ioreqsim.sim.stress;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010), with
 * actors as threads: every actor gets a random priority when first seen, the highest-priority enabled
 * actor always runs, and at {@code d - 1} change points the running actor drops below every initial
 * priority. A bug of depth d is found with probability at least 1/(n k^(d-1)) per schedule.
 *
 * <p>The classic variant places change points uniformly over the expected schedule length k (estimated
 * from the program, so a seed's schedule does not depend on any other seed). The lifecycle-aware
 * variant ({@code pct-lifecycle}) places them only at deliveries of lifecycle messages — create,
 * destroy, enable/disable, map, unmap, at each hop from the emulator's command to the domain, and a
 * domain's destruction — and, at each, lowers the delivering actor either just before or just after
 * the delivery: the operation is overtaken by, or itself overtakes, the I/O in flight around it.
 */
public final class Pct implements Strategy {
    private final int depth;
    private final boolean lifecycle;
    private final Map<String, Long> priorities = new HashMap<>();
    private SplittableRandom rng;
    private long[] changePoints;
    private boolean[] afterDelivery;
    private int changed;
    private int lifecycleSeen;
    private String demoteAfter;

    public Pct(int depth, boolean lifecycle) {
        this.depth = Math.max(1, depth);
        this.lifecycle = lifecycle;
    }

    @Override
    public String describe() {
        return (lifecycle ? "pct-lifecycle" : "pct") + "(d=" + depth + ")";
    }

    @Override
    public void start(long seed, Program program) {
        rng = new SplittableRandom(seed);
        priorities.clear();
        changed = 0;
        lifecycleSeen = 0;
        demoteAfter = null;
        long horizon = lifecycle ? Math.max(1, lifecycleEstimate(program)) : Math.max(1, stepEstimate(program));
        changePoints = new long[depth - 1];
        afterDelivery = new boolean[depth - 1];
        for (int i = 0; i < changePoints.length; i++) {
            changePoints[i] = 1 + rng.nextLong(horizon);
            afterDelivery[i] = rng.nextBoolean();
        }
        Arrays.sort(changePoints);
    }

    /** Roughly how many steps a program takes (a start-up is about forty, a guest access about eight). */
    static long stepEstimate(Program p) {
        long n = 30;
        for (Program.Step s : p.steps()) {
            n += s.op() instanceof StressOp.Start ? 40 : s.op() instanceof StressOp.Guest ? 8 : 10;
        }
        return n;
    }

    /**
     * Roughly how many lifecycle deliveries a program makes: a start-up creates, enables and maps a few
     * ranges, each over two or three hops (command, hypercall, dm_op).
     */
    static long lifecycleEstimate(Program p) {
        long n = 0;
        for (Program.Step s : p.steps()) {
            n += s.op() instanceof StressOp.Start ? 12 : s.op().isLifecycle() ? 3
                    : s.op() instanceof StressOp.DestroyDomain ? 1 : 0;
        }
        return n;
    }

    @Override
    public String pick(List<String> enabled, StepView view) {
        if (demoteAfter != null) {
            demote(demoteAfter);
            demoteAfter = null;
        }
        String best = highest(enabled);
        if (lifecycle) {
            if (Messages.isLifecycle(view.peek(best))) {
                lifecycleSeen++;
                while (changed < changePoints.length && changePoints[changed] <= lifecycleSeen) {
                    if (afterDelivery[changed]) {
                        demoteAfter = best;
                        changed++;
                    } else {
                        demote(best);
                        changed++;
                        best = highest(enabled);
                    }
                }
            }
        } else {
            while (changed < changePoints.length && changePoints[changed] <= view.step() + 1) {
                demote(best);
                changed++;
                best = highest(enabled);
            }
        }
        return best;
    }

    private void demote(String key) {
        priorities.put(key, (long) (depth - 1 - changed));
    }

    private String highest(List<String> enabled) {
        String best = null;
        long bestPriority = Long.MIN_VALUE;
        for (String k : enabled) {
            Long p = priorities.get(k);
            if (p == null) {
                p = depth + rng.nextLong(1L << 40);
                priorities.put(k, p);
            }
            if (p > bestPriority) {
                bestPriority = p;
                best = k;
            }
        }
        return best;
    }
}
