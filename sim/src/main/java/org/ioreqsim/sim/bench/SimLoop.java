package org.ioreqsim.sim.bench;

import com.typesafe.config.Config;
import java.time.Duration;
import org.ioreqsim.sim.Mix;
import org.ioreqsim.sim.RunReport;
import org.ioreqsim.sim.Scenario;
import org.ioreqsim.sim.Simulation;

/**
 * The simulator on a closed-loop shape: the full model (vCPU slot state machine, the domain's
 * intercepts and server selection, the shared ioreq page, event channels, the emulator and its
 * device), every vCPU issuing pure synchronous server accesses with no think time.
 */
final class SimLoop {
    /** Reads of the UART's line status register: a synchronous PIO read served by server 0. */
    static final Mix SYNC_ONLY = new Mix(0, 1, 0, 0, 0, 0, 0);
    /** Writes into the VGA window: Xen's stdvga sends them into the buffered ring. */
    static final Mix VGA_ONLY = new Mix(0, 0, 0, 0, 1, 0, 0);

    private SimLoop() {
    }

    /** The scenario of a shape: {@code mix} for {@code duration}, emulators placed as the default run does. */
    static Scenario scenario(Shape shape, Mix mix, Duration duration) {
        return Scenario.defaults().withShape(shape.routers(), shape.clientsPerRouter(), 1).withMix(mix)
                .withRequests(0, duration);
    }

    /** Runs the shape with pure synchronous accesses and reports completed ioreqs. */
    static LoopResult sync(Shape shape, Duration duration, Config akka) {
        long[] cost = new long[2];
        RunReport r = run(scenario(shape, SYNC_ONLY, duration), akka, cost);
        long n = r.ioreqs().completed();
        return new LoopResult(n, r.elapsedSeconds(), r.throughputPerSec(), r.latencyMicros().p50(),
                r.latencyMicros().p99(), LoopResult.perOp(cost[0], n), LoopResult.perOp(cost[1], n));
    }

    /** Runs the shape with VGA writes; {@code perSecond} counts only the writes that went buffered. */
    static LoopResult buffered(Shape shape, Duration duration, Config akka) {
        long[] cost = new long[2];
        RunReport r = run(scenario(shape, VGA_ONLY, duration), akka, cost);
        long n = r.ioreqs().buffered();
        return new LoopResult(n, r.elapsedSeconds(), n / r.elapsedSeconds(), r.latencyMicros().p50(),
                r.latencyMicros().p99(), LoopResult.perOp(cost[0], n), LoopResult.perOp(cost[1], n));
    }

    /**
     * Runs {@code s}; {@code cost} receives the process CPU time and the bytes allocated while it
     * executed (the report gathered after the run included; -1 where unknown).
     */
    static RunReport run(Scenario s, Config akka, long[] cost) {
        try (Simulation sim = new Simulation(s, akka)) {
            sim.prepare();
            java.util.Map<Long, Long> alloc = CpuClock.allocatedByThread();
            long before = CpuClock.processNanos();
            RunReport r = sim.execute(n -> { });
            cost[0] = before < 0 ? -1 : CpuClock.processNanos() - before;
            cost[1] = CpuClock.allocatedBetween(alloc, CpuClock.allocatedByThread());
            if (!r.emulatorFailures().isEmpty()) {
                throw new IllegalStateException("emulators failed: " + r.emulatorFailures());
            }
            return r;
        }
    }
}
