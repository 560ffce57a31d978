package org.ioreqsim.sim.testkit;

import org.ioreqsim.domain.ServerSelector;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.stress.Program;
import org.ioreqsim.sim.stress.ProgramGenerator;
import org.ioreqsim.sim.stress.ScheduleResult;
import org.ioreqsim.sim.stress.ScheduleRunner;
import org.ioreqsim.sim.stress.Strategies;
import org.ioreqsim.sim.stress.Strategy;
import org.ioreqsim.sim.stress.StressConfig;

/**
 * The entry point of the stress testkit: a controlled actor system (every actor on one deterministic
 * scheduler, virtual time) owned by the thread that creates it, on which tests run generated stress
 * schedules or hand-written {@link Testbed}s under the same monitors as {@code ./ioreq-sim stress}.
 * Creating one takes a second or two; share one per test class.
 *
 * <pre>{@code
 * try (ControlledHarness h = ControlledHarness.create()) {
 *     ScheduleResult r = h.runSeed(StressConfig.defaults().withFixes(XenOptions.FIX_NAMES), 42);
 *     assertTrue(r.violations().isEmpty(), r.violations()::toString);
 * }
 * }</pre>
 */
public final class ControlledHarness implements AutoCloseable {
    private static final ThreadLocal<ControlledHarness> SHARED = new ThreadLocal<>();

    private final ScheduleRunner runner;

    private ControlledHarness(String name) {
        this.runner = new ScheduleRunner(name);
    }

    /** A new harness driven by the calling thread. */
    public static ControlledHarness create() {
        return new ControlledHarness("testkit-" + Thread.currentThread().getId());
    }

    /** The calling thread's shared harness (created on first use, never closed; it owns no threads). */
    public static ControlledHarness shared() {
        ControlledHarness h = SHARED.get();
        if (h == null) {
            h = new ControlledHarness("testkit-shared-" + Thread.currentThread().getId());
            SHARED.set(h);
        }
        return h;
    }

    /** The schedule runner (for the stress package's own tools). */
    public ScheduleRunner runner() {
        return runner;
    }

    /** Runs seed {@code seed}'s generated program under {@code cfg}'s strategy; the monitors' verdict. */
    public ScheduleResult runSeed(StressConfig cfg, long seed) {
        return runSeed(cfg, seed, null);
    }

    /** As {@link #runSeed(StressConfig, long)}, with the guests' server selection replaced by {@code selector}. */
    public ScheduleResult runSeed(StressConfig cfg, long seed, ServerSelector selector) {
        return run(cfg, seed, ProgramGenerator.generate(cfg, seed), Strategies.create(cfg.strategy(), cfg.depth()),
                selector);
    }

    /** Runs {@code program} under {@code strategy} (seeded with {@code seed}). */
    public ScheduleResult run(StressConfig cfg, long seed, Program program, Strategy strategy, ServerSelector selector) {
        return runner.run(cfg, seed, program, strategy, ScheduleRunner.RunOptions.DEFAULT.withSelector(selector));
    }

    /**
     * Starts a testbed, a hand-written scenario: a hypervisor (with dom0) under the monitors, scheduled by
     * {@code strategy} seeded with {@code seed}. Add domains and emulator probes to it, then drive it.
     */
    public Testbed testbed(long seed, Strategy strategy, XenOptions options) {
        return new Testbed(runner.system(), seed, strategy, options, null);
    }

    /** As {@link #testbed(long, Strategy, XenOptions)}, with the guests' server selection replaced. */
    public Testbed testbed(long seed, Strategy strategy, XenOptions options, ServerSelector selector) {
        return new Testbed(runner.system(), seed, strategy, options, selector);
    }

    @Override
    public void close() {
        runner.close();
    }
}
