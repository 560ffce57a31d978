package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stress seed 18801 (spec 10.7, 10.9, 11.2): a stale emulator handle maps server 0's pages to gfns
 * (get_info) and, in the same domain step, a failed acquire_resource drops the gfn-mapped ioreq page;
 * a second acquire then allocates a fresh ioreq page. {@code hvm_alloc_ioreq_mfn} leaves
 * {@code iorp->gfn} as it was, so the gfn stays the server's until destroy returns it to the pool. The
 * model used to clear it, and the monitor reported {@code gfn.not-freed} for gfn 0xfeff0.
 *
 * <p>The programs are the ones the generator drew for these seeds before its features were added
 * (test resources {@code programs/seed-<n>.program.json}), so that a change of the generator does not
 * lose the schedules; the seed still drives the strategy.
 */
class DroppedPageGfnTest {

    /** The pinned program of {@code seed}. */
    static Program pinned(long seed) {
        try (InputStream in = DroppedPageGfnTest.class.getResourceAsStream("/programs/seed-" + seed + ".program.json")) {
            return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(in, Program.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void seed18801KeepsTheDroppedPagesGfnOnTheServer() {
        StressConfig cfg = StressConfig.defaults();
        try (ScheduleRunner runner = new ScheduleRunner("gfn-18801")) {
            ScheduleResult r = runner.run(cfg, 18801, pinned(18801),
                    Strategies.create(cfg.strategy(), cfg.depth()), ScheduleRunner.RunOptions.DEFAULT);
            assertEquals(List.of(), r.violations());
            assertTrue(r.findings().containsKey("H1"), "the schedule still orphans a vCPU: " + r.findings());
        }
    }

    /**
     * Seed 203: after the drop (H11) a second acquire on the enabled server allocates a fresh page that
     * keeps the old gfn; that page is not in the guest's physmap (enable took the gfn out), so it is not
     * H13 (spec 11.3, 16 H13), and the gfn-visibility checks stay armed for the server.
     */
    @Test
    void seed203AFreshPageUnderADroppedPagesGfnIsNotGuestVisible() {
        StressConfig cfg = StressConfig.defaults();
        try (ScheduleRunner runner = new ScheduleRunner("gfn-203")) {
            ScheduleResult r = runner.run(cfg, 203, pinned(203),
                    Strategies.create(cfg.strategy(), cfg.depth()), ScheduleRunner.RunOptions.DEFAULT);
            assertEquals(List.of(), r.violations());
            assertTrue(r.findings().containsKey("H11"), "the schedule drops a gfn-mapped page: " + r.findings());
            assertFalse(r.findings().containsKey("H13"), "no page was mapped to a gfn while enabled: "
                    + r.findings());
        }
    }
}
