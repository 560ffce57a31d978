package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.junit.jupiter.api.Test;

/** {@link CrashChecker}: every crash and fault needs a cause the spec gives. */
class CrashCheckerTest {
    private static final String EMULATION_FAILED = "Weird HVM ioemulation status 1";

    private static Fixture fixture(XenOptions options) {
        Fixture f = new Fixture(options, true);
        f.add(new CrashChecker(f.ctx));
        f.step(0, "xen/domain-1/vcpu-0", null);
        return f;
    }

    /** Spec 16 H12: a send to a server enabled before its page faults; other faults are unexplained. */
    @Test
    void aFaultNeedsAPageHazardBehindIt() {
        Fixture f = fixture(XenOptions.SEED);
        f.event(new ModelEvent.HypervisorFault(1, "send to a server with no ioreq page"));
        assertEquals(Set.of("H12"), f.findings());
        assertEquals(List.of(), f.rules());
        f.event(new ModelEvent.HypervisorFault(1, "something else"));
        assertEquals(List.of("fault.unexplained"), f.rules());
    }

    /** Spec 16 H11: after a dropped page, a fault is its consequence. */
    @Test
    void aFaultAfterADroppedPageIsH11() {
        Fixture f = fixture(XenOptions.SEED);
        f.server(1, 0, 0).pageDropped = true;
        f.event(new ModelEvent.HypervisorFault(1, "something else"));
        assertEquals(Set.of("H11"), f.findings());
        assertEquals(List.of(), f.rules());
    }

    /** Spec 5 and 16 H1: a failed emulation crashes the domain only after an orphaning left a stale latch. */
    @Test
    void aFailedEmulationNeedsAStaleLatch() {
        Fixture f = fixture(XenOptions.SEED);
        f.event(new ModelEvent.DomainCrashed(1, EMULATION_FAILED));
        assertEquals(List.of("crash.unexplained"), f.rules());
        Fixture g = fixture(XenOptions.SEED);
        g.domain(1).vcpu(0).staleLatch = true;
        g.event(new ModelEvent.DomainCrashed(1, EMULATION_FAILED));
        assertEquals(List.of(), g.rules());
        assertTrue(g.findings().contains("H1-stale"), g.findings().toString());
    }

    /** Spec 16 H1 with fixOrphanedCompletion: the stale latch must not fail an emulation. */
    @Test
    void aStaleLatchWithTheFixOnIsAViolation() {
        Fixture f = fixture(XenOptions.SEED.with("fixOrphanedCompletion", true));
        f.domain(1).vcpu(0).orphaned = true;
        f.event(new ModelEvent.DomainCrashed(1, EMULATION_FAILED));
        assertEquals(List.of("H1-stale"), f.rules());
    }
}
