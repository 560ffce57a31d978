package org.ioreqsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ioreqsim.domain.DomainSnapshot;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.sim.scenario.DomainGroup;
import org.ioreqsim.sim.scenario.ScenarioFile;
import org.junit.jupiter.api.Test;

/** The fairness figures of a run, from hand-made counts. */
class FairnessTest {

    @Test
    void jainsIndexIsOneForEqualSharesAndOneOverNWhenOneMemberGetsEverything() {
        assertEquals(1.0, Fairness.Spread.of(new long[] {5, 5, 5, 5}).jainIndex());
        assertEquals(0.25, Fairness.Spread.of(new long[] {0, 0, 12, 0}).jainIndex());
        Fairness.Spread s = Fairness.Spread.of(new long[] {1, 2, 3, 4});
        assertEquals(0.8333, s.jainIndex(), "100 / (4 * 30)");
        assertEquals(1, s.min());
        assertEquals(3, s.median());
        assertEquals(4, s.max());
        assertNull(Fairness.Spread.of(new long[] {0, 0}).jainIndex(), "undefined when nobody completed anything");
    }

    @Test
    void aRunningGuestWithNoCompletionIsStarvedAndGuestsTouchedByEventsAreLeftOut() {
        List<DomainGroup> groups = ScenarioFile.parse("two-groups.conf", """
                domains = [
                  { count = 3, vcpus = 2, servers = [ { devices = [ { kind = uart, port = 0x3f8 } ] } ]
                    workload = [ { weight = 1, access = "pio write 0x3f8 size=1" } ] }
                  { count = 1, vcpus = 1, workload = [ { weight = 1, access = "pio read 0x2f8 size=1" } ] }
                ]
                """).groups();
        List<Fairness.VcpuCount> counts = new ArrayList<>();
        counts.add(new Fairness.VcpuCount(1, 0, 10));
        counts.add(new Fairness.VcpuCount(1, 1, 10));
        counts.add(new Fairness.VcpuCount(2, 0, 0));
        counts.add(new Fairness.VcpuCount(2, 1, 0));
        counts.add(new Fairness.VcpuCount(3, 0, 7));
        counts.add(new Fairness.VcpuCount(3, 1, 3));
        counts.add(new Fairness.VcpuCount(3, 2, 4));
        counts.add(new Fairness.VcpuCount(4, 0, 0));
        List<DomainSnapshot> domains = List.of(domain(1, DomainState.RUNNING), domain(2, DomainState.RUNNING),
                domain(3, DomainState.RUNNING), domain(4, DomainState.DEAD));
        List<Fairness.Group> f = Fairness.of(groups, counts, Map.of("server-1-0", 20L, "server-3-0", 14L), Set.of(3),
                domains);

        Fairness.Group g = f.get(0);
        assertEquals("d1..d3", g.domids());
        assertEquals(List.of(3), g.leftOut(), "d3 had a vCPU hotplugged: no longer identical");
        assertEquals(2, g.compared());
        assertEquals(new Fairness.Spread(2, 0, 20, 20, 0.5), g.perGuest());
        assertEquals(new Fairness.Spread(4, 0, 10, 10, 0.5), g.perVcpu());
        assertEquals(List.of(new Fairness.Spread(2, 0, 20, 20, 0.5)), g.perServer());
        assertEquals(List.of(2), g.starved());
        assertEquals(List.of(), f.get(1).starved(), "a destroyed guest is not starved");
        assertEquals(List.of("d2: running to the end, it completed no operation (starved)"), Fairness.findings(f));
        assertEquals(List.of("group 1: 1 guest(s) left out of the comparison because lifecycle events touched them: d3",
                "group 1: STARVED, running to the end with no completion: d2"), Fairness.notes(f));
    }

    private static DomainSnapshot domain(int domid, DomainState state) {
        return new DomainSnapshot(domid, "guest" + domid, state, 0, 0, List.of(), List.of(), null, List.of(), Map.of());
    }
}
