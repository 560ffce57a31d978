package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.vcpu.GuestOp;
import org.junit.jupiter.api.Test;

/** {@link LivenessChecker}'s lane rule (spec 17: at quiescence every lane has finished its program). */
class LivenessCheckerTest {

    @Test
    void aLaneStillWaitingAtQuiescenceIsStuck() {
        Fixture f = Fixture.events();
        LivenessChecker liveness = f.add(new LivenessChecker(f.ctx));
        liveness.laneWaiting("d1.c0", "Start");
        liveness.laneWaiting("d1.ts", "AddVcpu");
        liveness.laneDone("d1.ts");
        liveness.laneFinished("d1.ts");
        liveness.atQuiescence();
        assertEquals(List.of("liveness.lane-stuck"), f.rules());
        assertEquals(1, liveness.lanesFinished());
    }

    @Test
    void finishedLanesAreQuiet() {
        Fixture f = Fixture.events();
        LivenessChecker liveness = f.add(new LivenessChecker(f.ctx));
        liveness.laneWaiting("d1.c0", "Start");
        liveness.laneFinished("d1.c0");
        liveness.faultInjected("lost");
        liveness.faultInjected("dup");
        liveness.faultInjected("delay");
        liveness.atQuiescence();
        assertEquals(List.of(), f.rules());
        assertArrayEquals(new int[] {1, 1, 1}, liveness.faults());
    }

    /**
     * A free run is not done while a vCPU thinks (its timer is still to fire), unless its domain is dead or
     * crashed (seed 120 of {@code stress --free --domains 2 --vcpus 4 --servers 4 --ops 150 --features all},
     * 2026-12-03: a think of 120 ms outlasted the quiet period on a loaded machine, judged an operation lost).
     */
    @Test
    void aVcpuInAThinkKeepsAFreeRunGoing() {
        Fixture f = Fixture.events();
        LivenessChecker liveness = f.add(new LivenessChecker(f.ctx));
        Shadows.VcpuShadow v = f.ctx.domain(1).vcpu(0);
        assertFalse(liveness.anyVcpuThinking());
        v.opOutstanding = true;
        v.currentOp = new GuestOp.Think(120_000_000L);
        assertTrue(liveness.anyVcpuThinking());
        v.currentOp = GuestOp.Io.pioRead(0x3F8, 1);
        assertFalse(liveness.anyVcpuThinking(), "an access waits on Xen, not on a timer");
        v.currentOp = new GuestOp.Think(120_000_000L);
        f.ctx.domain(1).crashed = true;
        assertFalse(liveness.anyVcpuThinking(), "a crashed domain's vCPUs run no more guest code");
    }
}
