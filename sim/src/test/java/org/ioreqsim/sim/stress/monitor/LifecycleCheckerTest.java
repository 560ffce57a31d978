package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.RaceScenario;
import org.ioreqsim.sim.stress.monitor.Shadows.InFlight;
import org.ioreqsim.sim.stress.monitor.Shadows.VcpuShadow;
import org.junit.jupiter.api.Test;

/** {@link LifecycleChecker}: what a destroy or a domain_kill leaves behind. */
class LifecycleCheckerTest {

    private static LifecycleChecker lifecycle(Fixture f) {
        return f.add(new LifecycleChecker(f.ctx, new PermissionChecker(f.ctx), new PageChecker(f.ctx),
                new PortChecker(f.ctx)));
    }

    private static void waitOnServer0(Fixture f, int vcpu) {
        Ioreq read = Fixture.pio(0x10, 1, IoDirection.READ);
        f.domain(1).vcpu(vcpu).inflight.add(new InFlight(0, 0, read, read, 0));
    }

    /** Spec 10.9 and 16 H1: destroying a server a vCPU waits on orphans the vCPU. */
    @Test
    void destroyingTheServerAVcpuWaitsOnOrphansIt() {
        Fixture f = Fixture.events();
        lifecycle(f);
        f.domain(1).vcpu(1);
        waitOnServer0(f, 0);
        f.step(0, "xen/domain-1", null).event(new ModelEvent.ServerDestroyed(1, 1, List.of()));
        assertFalse(f.findings().contains("H1"), "nobody waits on server 1");
        f.event(new ModelEvent.ServerDestroyed(1, 0, List.of(0)));
        assertTrue(f.findings().contains("H1"), f.findings().toString());
        VcpuShadow v = f.domain(1).vcpu(0);
        assertTrue(v.orphaned && v.staleLatch && v.inflight.isEmpty());
        assertFalse(f.domain(1).vcpu(1).orphaned);
        assertEquals(List.of(), f.rules());
    }

    /** Spec 12 and 16 H3: domain_kill abandons the requests in flight. */
    @Test
    void killingADomainWithIoInFlightIsH3() {
        Fixture f = Fixture.events();
        lifecycle(f);
        f.step(0, "xen", null).event(new ModelEvent.DomainKilled(2));
        assertTrue(f.findings().isEmpty(), "no I/O in flight in d2");
        waitOnServer0(f, 0);
        f.event(new ModelEvent.DomainKilled(1));
        assertEquals(java.util.Set.of("H3"), f.findings());
        assertTrue(f.coverage().contains(RaceScenario.DOMAIN_DESTROYED_DURING_IO));
        assertTrue(f.domain(1).killed && f.domain(1).vcpu(0).inflight.isEmpty());
    }

    /** Spec 10.9: a destroy names a server the monitors saw created. */
    @Test
    void destroyingAnUnknownServerIsAViolation() {
        Fixture f = Fixture.direct();
        lifecycle(f);
        f.step(0, "xen/domain-1", null).event(new ModelEvent.ServerDestroyed(1, 3, List.of()));
        assertEquals(List.of("destroy.unknown"), f.rules());
    }
}
