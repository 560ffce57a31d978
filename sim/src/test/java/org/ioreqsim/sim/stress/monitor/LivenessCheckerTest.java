package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
}
