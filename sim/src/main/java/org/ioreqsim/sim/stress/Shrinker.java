package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Shrinks a failing schedule to a short one that fails the same way: first the operations (delta
 * debugging, Zeller's ddmin, over the program's operation list), then the preemptions. Each candidate
 * runs guided by the last failing run's decisions (DEMi-style: recorded actors are followed where they
 * are runnable, so the interleaving survives the removal of unrelated operations), falling back to
 * the original strategy; the preemption pass falls back to a non-preemptive choice instead, and keeps a
 * candidate only if it both fails the same way and preempts less.
 */
public final class Shrinker {

    /** The outcome: the smallest failing program, the run that shows it, and the sizes before and after. */
    public record Shrunk(Program program, ScheduleResult run, int runs, StressTrace.Shrunk sizes) {
    }

    private final ScheduleRunner runner;
    private final StressConfig cfg;
    private final long seed;
    private final Supplier<Strategy> strategies;
    private final Predicate<ScheduleResult> fails;
    /** The rule of a step stopped by the watchdog, and what such a run costs from the budget. */
    static final String HUNG = Monitor.STEP_HANG;
    static final int HANG_COST = 10;

    private final int budget;
    private final ScheduleRunner.RunOptions options;
    private int runs;

    /**
     * @param strategies makes the original strategy afresh
     * @param fails      whether a run shows the same failure
     * @param budget     most schedules to run
     */
    public Shrinker(ScheduleRunner runner, StressConfig cfg, long seed, Supplier<Strategy> strategies,
                    Predicate<ScheduleResult> fails, int budget) {
        this(runner, cfg, seed, strategies, fails, budget, ScheduleRunner.RunOptions.DEFAULT);
    }

    /** As the other constructor, running every candidate with {@code options} (a swapped-in selector, say). */
    public Shrinker(ScheduleRunner runner, StressConfig cfg, long seed, Supplier<Strategy> strategies,
                    Predicate<ScheduleResult> fails, int budget, ScheduleRunner.RunOptions options) {
        this.options = options;
        this.runner = runner;
        this.cfg = cfg;
        this.seed = seed;
        this.strategies = strategies;
        this.fails = fails;
        this.budget = budget;
    }

    /** The predicate for "fails with the same first violation rule as {@code r}". */
    public static Predicate<ScheduleResult> sameViolation(String rule) {
        return r -> r.violations().stream().anyMatch(v -> v.rule().equals(rule));
    }

    /** The predicate for "reaches finding {@code name}". */
    public static Predicate<ScheduleResult> sameFinding(String name) {
        return r -> r.findings().containsKey(name);
    }

    public Shrunk shrink(Program program, ScheduleResult failing) {
        int ops0 = program.steps().size();
        int pre0 = failing.preemptions().size();
        Program best = program;
        ScheduleResult bestRun = failing;
        List<Program.Step> steps = new ArrayList<>(program.steps());
        int n = 2;
        while (steps.size() >= 2 && runs < budget) {
            int chunk = (int) Math.ceil(steps.size() / (double) n);
            boolean reduced = false;
            for (int start = 0; start < steps.size() && runs < budget; start += chunk) {
                List<Program.Step> candidate = new ArrayList<>(steps.subList(0, start));
                candidate.addAll(steps.subList(Math.min(steps.size(), start + chunk), steps.size()));
                Program p = program.withSteps(candidate);
                ScheduleResult r = run(p, ReplayStrategy.guided(bestRun.decisions(), strategies.get()));
                if (fails.test(r)) {
                    steps = candidate;
                    best = p;
                    bestRun = r;
                    n = Math.max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (n >= steps.size()) {
                    break;
                }
                n = Math.min(n * 2, steps.size());
            }
        }
        bestRun = fewerPreemptions(best, bestRun);
        return new Shrunk(best, bestRun, runs, new StressTrace.Shrunk(best.steps().size(), bestRun.preemptions().size(),
                ops0, pre0));
    }

    /** Removes preemptions one at a time, latest first, while the failure stays. */
    private ScheduleResult fewerPreemptions(Program program, ScheduleResult failing) {
        ScheduleResult best = failing;
        boolean improved = true;
        while (improved && runs < budget) {
            improved = false;
            List<Integer> points = best.preemptions();
            for (int i = points.size() - 1; i >= 0 && runs < budget; i--) {
                int at = points.get(i);
                List<String> d = new ArrayList<>(best.decisions().subList(0, at));
                d.add(best.decisions().get(at - 1));
                d.addAll(best.decisions().subList(at, best.decisions().size()));
                ScheduleResult r = run(program, ReplayStrategy.guided(d, new Sticky()));
                if (fails.test(r) && r.preemptions().size() < best.preemptions().size()) {
                    best = r;
                    improved = true;
                    break;
                }
            }
        }
        if (runs < budget) {
            ScheduleResult r = run(program, new Sticky());
            if (fails.test(r) && r.preemptions().size() < best.preemptions().size()) {
                best = r;
            }
        }
        return best;
    }

    private ScheduleResult run(Program p, Strategy s) {
        runs++;
        ScheduleResult r = runner.run(cfg, seed, p, s, options);
        for (Violation v : r.violations()) {
            if (HUNG.equals(v.rule())) {
                // a hang costs a second of CPU time and a new actor system: spend the budget faster
                runs += HANG_COST - 1;
                break;
            }
        }
        return r;
    }

    /** Never preempts: the previous actor goes on while it can, else the first runnable key. */
    static final class Sticky implements Strategy {
        @Override
        public String describe() {
            return "sticky";
        }

        @Override
        public void start(long seed, Program program) {
        }

        @Override
        public String pick(List<String> enabled, StepView view) {
            String prev = view.previous();
            return prev != null && enabled.contains(prev) ? prev : enabled.get(0);
        }
    }
}
