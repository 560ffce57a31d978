package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ioreqsim.domain.ServerSelector;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.RangeType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A routing table with a dropped check, swapped into the guests, is caught by the monitors and shrunk
 * to a short schedule; Xen's own selection passes the same seeds.
 */
class BrokenSelectorTest {
    private static ScheduleRunner runner;

    @BeforeAll
    static void start() {
        runner = new ScheduleRunner("broken-selector");
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    /** Xen's selection, except that it forgets to skip disabled servers (the check dropped). */
    static final ServerSelector IGNORES_ENABLED = (XenInspector x, Ioreq p, long cf8) -> {
        if (p.type() != IoreqType.PIO && p.type() != IoreqType.COPY) {
            return ServerSelector.Selection.NONE;
        }
        RangeType t = p.type() == IoreqType.PIO ? RangeType.PORT : RangeType.MEMORY;
        long start = p.type() == IoreqType.PIO ? p.addr() : p.firstByte();
        long end = p.type() == IoreqType.PIO ? p.addr() + p.size() - 1 : p.lastByte();
        for (int id = 7; id >= 0; id--) {
            ServerView s = x.server(id);
            if (s != null && s.containsRange(t, start, end)) {
                return new ServerSelector.Selection(id, -1);
            }
        }
        return ServerSelector.Selection.NONE;
    };

    @Test
    void theMonitorsCatchADroppedEnabledCheckAndShrinkIt() {
        StressConfig cfg = StressConfig.defaults();
        ScheduleResult failing = null;
        Program program = null;
        for (long seed = 1; seed <= 200 && failing == null; seed++) {
            program = ProgramGenerator.generate(cfg, seed);
            ScheduleResult r = runner.run(cfg, seed, program, Strategies.create(cfg.strategy(), cfg.depth()),
                    ScheduleRunner.RunOptions.DEFAULT.withSelector(IGNORES_ENABLED));
            if (!r.violations().isEmpty()) {
                failing = r;
            }
        }
        assertNotNull(failing, "a broken routing table must be caught within 200 seeds");
        String rule = failing.firstRule();
        assertTrue(rule.startsWith("routing."), "caught as a routing fault: " + failing.violations());
        Shrinker.Shrunk s = new Shrinker(runner, cfg, failing.seed(), Strategies.of(cfg),
                r -> r.violations().stream().anyMatch(v -> v.rule().equals(rule)), 400,
                ScheduleRunner.RunOptions.DEFAULT.withSelector(IGNORES_ENABLED)).shrink(program, failing);
        assertTrue(s.program().steps().size() <= 8, "shrunk to " + s.sizes().describe());
        assertTrue(s.sizes().operations() < s.sizes().originalOperations());
    }

    /** The first seed whose run breaks a rule, with {@code selector} in the guests. */
    private static ScheduleResult firstFailing(ServerSelector selector, int seeds) {
        StressConfig cfg = StressConfig.defaults();
        for (long seed = 1; seed <= seeds; seed++) {
            ScheduleResult r = runner.run(cfg, seed, ProgramGenerator.generate(cfg, seed),
                    Strategies.create(cfg.strategy(), cfg.depth()),
                    ScheduleRunner.RunOptions.DEFAULT.withSelector(selector));
            if (!r.violations().isEmpty()) {
                return r;
            }
        }
        return null;
    }

    @Test
    void anExceptionInTheModelIsAViolation() {
        ServerSelector throwing = (x, p, cf8) -> {
            if (x.server(0) != null) {
                throw new IllegalStateException("broken routing table");
            }
            return ServerSelector.Selection.NONE;
        };
        ScheduleResult r = firstFailing(throwing, 40);
        assertNotNull(r, "an actor failing with an exception must be caught");
        assertEquals("model.actor-failure", r.firstRule(), r.violations().toString());
        assertTrue(r.violations().get(0).detail().contains("broken routing table"), r.violations().toString());
    }

    @Test
    void aStepThatNeverEndsIsStoppedAndTheRunnerGoesOn() {
        ServerSelector looping = (x, p, cf8) -> {
            long spins = 0;
            while (x.server(0) != null) {
                spins++;
            }
            return spins < 0 ? ServerSelector.Selection.NONE : ServerSelector.Selection.NONE;
        };
        ScheduleResult r = firstFailing(looping, 40);
        assertNotNull(r, "an endless loop inside a step must be stopped");
        assertEquals(Monitor.STEP_HANG, r.firstRule(), r.violations().toString());
        assertTrue(r.violations().get(0).detail().startsWith("xen/domain-"), "names the domain: " + r.violations());
        // the runner rebuilt its actor system: the next schedule runs as if nothing happened
        StressConfig cfg = StressConfig.defaults();
        ScheduleResult again = runner.run(cfg, 1, ProgramGenerator.generate(cfg, 1),
                Strategies.create(cfg.strategy(), cfg.depth()), ScheduleRunner.RunOptions.DEFAULT);
        ScheduleResult fresh;
        try (ScheduleRunner other = new ScheduleRunner("broken-selector-fresh")) {
            fresh = other.run(cfg, 1, ProgramGenerator.generate(cfg, 1), Strategies.create(cfg.strategy(), cfg.depth()),
                    ScheduleRunner.RunOptions.DEFAULT);
        }
        assertEquals(java.util.List.of(), again.violations());
        assertEquals(fresh.digest(), again.digest());
    }

    @Test
    void xensOwnSelectionPassesTheSameSeeds() {
        StressConfig cfg = StressConfig.defaults();
        for (long seed = 1; seed <= 40; seed++) {
            ScheduleResult r = runner.run(cfg, seed, ProgramGenerator.generate(cfg, seed),
                    Strategies.create(cfg.strategy(), cfg.depth()), ScheduleRunner.RunOptions.DEFAULT);
            assertEquals(java.util.List.of(), r.violations(), "seed " + seed);
        }
    }
}
