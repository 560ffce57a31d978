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
