package org.ioreqsim.sim.bench;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ioreqsim.sim.run.RunReport;
import org.ioreqsim.sim.run.Simulation;
import org.ioreqsim.sim.scenario.BuiltInGuests;
import org.ioreqsim.sim.scenario.Mix;
import org.ioreqsim.sim.scenario.RunSettings;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.XenSettings;

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
        return Scenario.builtIn(BuiltInGuests.DEFAULT.withShape(shape.routers(), shape.clientsPerRouter(), 1)
                .withMix(mix), RunSettings.DEFAULT.withRequests(0, duration), XenSettings.DEFAULT);
    }

    /** Runs the shape with pure synchronous accesses and reports completed ioreqs (steady-state rate). */
    static LoopResult sync(Shape shape, Duration duration, Config akka) {
        return sync(shape, duration, akka, Window::measure);
    }

    /** As {@link #sync(Shape, Duration, Config)}, with {@code watch} observing the loop while it runs. */
    static LoopResult sync(Shape shape, Duration duration, Config akka, Window.Watch watch) {
        Run run = run(scenario(shape, SYNC_ONLY, duration), akka, watch);
        RunReport r = run.report();
        long n = r.ioreqs().completed();
        return new LoopResult(n, r.elapsedSeconds(), run.windowRate() > 0 ? run.windowRate() : r.throughputPerSec(),
                r.latencyMicros().p50(), r.latencyMicros().p99(), LoopResult.perOp(run.cpuNanos(), n),
                LoopResult.perOp(run.allocated(), n));
    }

    /** Runs the shape with VGA writes; {@code perSecond} counts only the writes that went buffered. */
    static LoopResult buffered(Shape shape, Duration duration, Config akka) {
        Run run = run(scenario(shape, VGA_ONLY, duration), akka, (start, d, completed) -> -1);
        RunReport r = run.report();
        long n = r.ioreqs().buffered();
        return new LoopResult(n, r.elapsedSeconds(), n / r.elapsedSeconds(), r.latencyMicros().p50(),
                r.latencyMicros().p99(), LoopResult.perOp(run.cpuNanos(), n), LoopResult.perOp(run.allocated(), n));
    }

    /**
     * One run: its report, the process CPU time and bytes allocated while it executed (the report
     * gathered after the run included; -1 where unknown), and the steady-state completion rate (-1 when
     * not measured).
     */
    record Run(RunReport report, long cpuNanos, long allocated, double windowRate) {
    }

    static Run run(Scenario s, Config akka, Window.Watch watch) {
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (Simulation sim = Simulation.free(s, akka)) {
            sim.prepare();
            java.util.Map<Long, Long> alloc = CpuClock.allocatedByThread();
            long before = CpuClock.processNanos();
            long start = System.nanoTime();
            Future<RunReport> running = runner.submit(() -> sim.execute(n -> { }));
            double rate = watch.watch(start, s.run().duration(), sim::completedCount);
            RunReport r = running.get();
            long cpu = before < 0 ? -1 : CpuClock.processNanos() - before;
            long bytes = CpuClock.allocatedBetween(alloc, CpuClock.allocatedByThread());
            if (!r.emulatorFailures().isEmpty()) {
                throw new IllegalStateException("emulators failed: " + r.emulatorFailures());
            }
            return new Run(r, cpu, bytes, rate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            runner.shutdownNow();
        }
    }
}
