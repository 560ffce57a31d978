package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.RaceScenario;
import org.ioreqsim.sim.stress.monitor.Shadows.InFlight;
import org.junit.jupiter.api.Test;

/** {@link RoutingChecker}'s range rules and {@link RoutingOracle}'s selection, on hand-made sequences. */
class RoutingCheckerTest {

    private static ModelEvent.RangeChanged map(long start, long end) {
        return new ModelEvent.RangeChanged(1, 0, RangeType.PORT, start, end, true);
    }

    private static ModelEvent.RangeChanged unmap(long start, long end) {
        return new ModelEvent.RangeChanged(1, 0, RangeType.PORT, start, end, false);
    }

    private static Fixture fixture() {
        Fixture f = Fixture.direct();
        f.add(new RoutingChecker(f.ctx));
        f.server(1, 0, 0);
        f.step(0, "xen/domain-1", null);
        return f;
    }

    /** Spec 10.4: a range overlapping one the server holds is refused with -EEXIST. */
    @Test
    void anAcceptedOverlappingMapBreaksTheRangeSetRule() {
        Fixture f = fixture();
        f.event(map(0x10, 0x1F)).event(map(0x18, 0x27));
        assertEquals(List.of("ranges.overlap-accepted"), f.rules());
    }

    @Test
    void adjacentMapsAreQuiet() {
        Fixture f = fixture();
        f.event(map(0x10, 0x1F)).event(map(0x20, 0x2F)).event(unmap(0x10, 0x2F));
        assertEquals(List.of(), f.rules(), "touching ranges merge (spec 10.3); the merged range unmaps whole");
    }

    /** Spec 10.5: unmapping what no one range contains is refused with -ENOENT. */
    @Test
    void anAcceptedUnmapOfAnUncontainedRangeBreaksTheRule() {
        Fixture f = fixture();
        f.event(map(0x10, 0x1F)).event(unmap(0x18, 0x27));
        assertEquals(List.of("ranges.unmap-not-contained"), f.rules());
    }

    /** Spec 16 H9 (XSA-238): start > end is refused with -EINVAL. */
    @Test
    void anAcceptedReversedRangeBreaksTheRule() {
        Fixture f = fixture();
        f.event(map(0x20, 0x10));
        assertEquals(List.of("ranges.reversed-accepted"), f.rules());
    }

    /** Spec 16 H7: an unmap under an in-flight request it routed is a finding; elsewhere nothing. */
    @Test
    void unmappingUnderAnInFlightRequestIsH7() {
        Fixture f = fixture();
        Ioreq read = Fixture.pio(0x10, 1, IoDirection.READ);
        f.event(map(0x10, 0x1F)).event(map(0x100, 0x1FF));
        f.domain(1).vcpu(0).inflight.add(new InFlight(0, f.domain(1).servers[0].generation, read, read, 0));
        f.event(unmap(0x100, 0x1FF));
        assertFalse(f.findings().contains("H7"), "the request's port is still mapped");
        f.event(unmap(0x10, 0x1F));
        assertTrue(f.findings().contains("H7"), f.findings().toString());
        assertTrue(f.coverage().contains(RaceScenario.UNMAP_DURING_IO));
        assertEquals(List.of(), f.rules());
    }

    /** A table with port ranges per server id, all enabled unless listed disabled. */
    private static RoutingOracle.Table table(long[][] ranges, int... disabled) {
        return new RoutingOracle.Table() {
            @Override
            public boolean enabled(int id) {
                for (int d : disabled) {
                    if (d == id) {
                        return false;
                    }
                }
                return ranges[id] != null;
            }

            @Override
            public boolean isDefault(int id) {
                return false;
            }

            @Override
            public boolean contains(int id, RangeType type, long start, long end) {
                long[] r = ranges[id];
                return r != null && type.code() == (int) r[0] && r[1] <= start && end <= r[2];
            }
        };
    }

    /** Spec 6: the first enabled server from id 7 down with one range covering the whole access. */
    @Test
    void selectionTakesTheHighestEnabledServerCoveringTheAccess() {
        long port = RangeType.PORT.code();
        long[][] ranges = new long[8][];
        ranges[1] = new long[] {port, 0x10, 0x1F};
        ranges[3] = new long[] {port, 0x10, 0x13};
        ranges[5] = new long[] {port, 0x10, 0x1F};
        Ioreq one = Fixture.pio(0x10, 1, IoDirection.READ);
        assertEquals(3, RoutingOracle.select(table(ranges, 5), one, 0, false).serverId());
        assertEquals(5, RoutingOracle.select(table(ranges), one, 0, false).serverId());
        Ioreq wide = Fixture.pio(0x12, 4, IoDirection.READ);
        assertEquals(1, RoutingOracle.select(table(ranges, 5), wide, 0, false).serverId(),
                "server 3's range does not cover 0x12..0x15");
        assertTrue(RoutingOracle.select(table(ranges), Fixture.pio(0x40, 1, IoDirection.READ), 0, false).none(),
                "no claimant: the null handler (spec 5.1)");
    }

    /** Spec 6.1: with CF8's enable bit set, 0xCFC..0xCFF is matched against PCI ranges by BDF. */
    @Test
    void aConfigCycleIsMatchedByTheLatchedBdf() {
        long[][] ranges = new long[8][];
        ranges[2] = new long[] {RangeType.PCI.code(), 0x08, 0x08};
        ranges[4] = new long[] {RangeType.PORT.code(), 0xCF8, 0xCFF};
        Ioreq data = Fixture.pio(0xCFC, 4, IoDirection.READ);
        RoutingOracle.Choice c = RoutingOracle.select(table(ranges), data, 0x80000800L, false);
        assertEquals(2, c.serverId());
        assertEquals(RangeType.PCI, c.type());
        assertEquals((0x08L << 32) | 0x00, c.pciKey());
        assertEquals(4, RoutingOracle.select(table(ranges), data, 0x00000800L, false).serverId(),
                "CF8 disabled: a plain port access");
    }
}
