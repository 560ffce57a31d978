package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.junit.jupiter.api.Test;

/** {@link PermissionChecker}: who may change a server, and no guest work under a pause. */
class PermissionCheckerTest {
    private final Fixture f = Fixture.direct();
    private final PermissionChecker permissions = f.add(new PermissionChecker(f.ctx));

    private void mapFrom(int caller) {
        DmOp op = new DmOp.MapIoRangeToIoreqServer(0, 0, RangeType.PORT.code(), 0x10, 0x1F);
        f.step(0, "xen/domain-1", new Domain.DmOpRequest(caller, op, 1, null));
        ModelEvent e = new ModelEvent.RangeChanged(1, 0, RangeType.PORT, 0x10, 0x1F, true);
        permissions.checkOwner(f.domain(1), e);
    }

    /** Spec 10.1: after lookup, -EPERM unless the caller is the server's emulator domain. */
    @Test
    void onlyTheServersEmulatorDomainChangesIt() {
        f.server(1, 0, 0);
        mapFrom(0);
        assertEquals(List.of(), f.rules());
        mapFrom(5);
        assertEquals(List.of("dmop.not-owner"), f.rules());
    }

    /** Spec 12: domain_kill destroys servers without a dm_op caller. */
    @Test
    void domainKillNeedsNoOwner() {
        f.server(1, 0, 0);
        f.step(0, "xen/domain-1", null);
        permissions.checkOwner(f.domain(1), new ModelEvent.ServerDestroyed(1, 0, List.of()));
        assertEquals(List.of(), f.rules());
    }

    /** Spec 17 (domain_pause stops every vCPU starting new work): a paused vCPU finishes nothing. */
    @Test
    void aPausedVcpuFinishesNoOperation() {
        f.step(0, "xen/domain-1/vcpu-0", null);
        f.ctx.stepEvents.add(new ModelEvent.OperationEnded(1, 0, "DONE", "server-0"));
        permissions.checkPausedVcpu();
        assertEquals(List.of(), f.rules(), "not paused before the step");
        f.step(1, "xen/domain-1/vcpu-0", null);
        f.ctx.pausedBefore = true;
        f.ctx.stepEvents.add(new ModelEvent.OperationEnded(1, 0, "ABANDONED", "none"));
        permissions.checkPausedVcpu();
        assertEquals(List.of(), f.rules(), "abandoning is not guest work");
        f.ctx.stepEvents.add(new ModelEvent.OperationEnded(1, 0, "DONE", "server-0"));
        permissions.checkPausedVcpu();
        assertEquals(List.of("pause.vcpu-ran"), f.rules());
    }
}
