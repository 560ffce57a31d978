package org.ioreqsim.vcpu;

import static org.ioreqsim.vcpu.VcpuHarness.VCPU;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Where a vCPU's operations come from and how time passes between them: its {@link Workload} after
 * Start, operations handed over by Run (which go first), and think time on Akka timers driven by
 * {@link ManualTime}. Nothing here is Xen; it frames the guest steps of spec 5 (docs/architecture.md,
 * "Workloads run inside the vCPU actors").
 */
class VcpuWorkloadTest {
    static final ActorTestKit kit = ActorTestKit.create(ManualTime.config());
    static final ManualTime time = ManualTime.get(kit.system());
    private static final Duration THINK = Duration.ofMillis(5);

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** Start runs the workload in order; its outcomes go back to the workload, a zero think is instant. */
    @Test
    void startRunsTheWorkloadInOrder() {
        GuestOp.Io read = GuestOp.Io.pioRead(0x61, 1);
        GuestOp.Think none = new GuestOp.Think(0);
        GuestOp.SetRtcOffset rtc = new GuestOp.SetRtcOffset(60);
        VcpuHarness.ListWorkload w = new VcpuHarness.ListWorkload(read, none, rtc);
        VcpuHarness h = new VcpuHarness(kit, XenOptions.SEED, w);
        h.vcpu.tell(Vcpu.Unpause.INSTANCE);
        assertEquals(0, h.inspect().operations());

        h.vcpu.tell(Vcpu.Start.INSTANCE);
        h.expectEmulateIo();
        h.handled(IoStatus.OKAY, 0x20, 1, Route.NULL_HANDLER);
        h.domain.expectMessage(new VcpuRequest.SendTimeoffset(VCPU, 60));
        VcpuSnapshot s = h.inspect();
        assertEquals(3, s.operations());
        assertEquals(3, s.completed());
        assertEquals(List.of(
                new Outcome(read, Outcome.Kind.DONE, 0x20, 1, Route.NULL_HANDLER, false),
                new Outcome(none, Outcome.Kind.DONE, 0, 0, Route.NOWHERE, false),
                new Outcome(rtc, Outcome.Kind.DONE, 0, 0, Route.BROADCAST_ROUTE, false)), w.outcomes);
    }

    /** An operation handed over by Run goes before the workload's next one, and its outcome to its sender. */
    @Test
    void handedOperationsGoBeforeTheWorkload() {
        GuestOp.Io first = GuestOp.Io.pioRead(0x61, 1);
        GuestOp.Io last = GuestOp.Io.pioRead(0x62, 1);
        VcpuHarness.ListWorkload w = new VcpuHarness.ListWorkload(first, last);
        VcpuHarness h = new VcpuHarness(kit, XenOptions.SEED, w);
        h.vcpu.tell(Vcpu.Start.INSTANCE);
        assertEquals(0x61, h.expectEmulateIo().request().addr());
        GuestOp.Io handed = GuestOp.Io.pioRead(0x70, 1);
        TestProbe<Outcome> outcome = h.run(handed);
        h.handled(IoStatus.OKAY, 1, 1, Route.NULL_HANDLER);
        assertEquals(0x70, h.expectEmulateIo().request().addr());
        h.handled(IoStatus.OKAY, 2, 1, Route.NULL_HANDLER);
        outcome.expectMessage(new Outcome(handed, Outcome.Kind.DONE, 2, 1, Route.NULL_HANDLER, false));
        assertEquals(0x62, h.expectEmulateIo().request().addr());
        h.handled(IoStatus.OKAY, 3, 1, Route.NULL_HANDLER);
        assertEquals(3, h.inspect().completed());
        assertEquals(List.of(1L, 3L), w.outcomes.stream().map(Outcome::value).toList());
    }

    /**
     * A think ends when its time has passed, not before; the vCPU is RUNNING meanwhile. (ManualTime
     * counts whole milliseconds.)
     */
    @Test
    void aThinkEndsWhenItsTimeHasPassed() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Think think = new GuestOp.Think(THINK.toNanos());
        TestProbe<Outcome> outcome = h.run(think);
        assertEquals(VcpuState.RUNNING, h.state());
        time.timePasses(THINK.minusMillis(1));
        assertEquals(0, h.inspect().completed());
        time.timePasses(Duration.ofMillis(1));
        outcome.expectMessage(new Outcome(think, Outcome.Kind.DONE, 0, 0, Route.NOWHERE, false));
    }

    /** Spec 17: a paused vCPU does not end its think; it does once unpaused. */
    @Test
    void aThinkDoesNotEndWhilePaused() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Think think = new GuestOp.Think(THINK.toNanos());
        TestProbe<Outcome> outcome = h.run(think);
        h.vcpu.tell(new Vcpu.Pause(1));
        h.domain.expectMessage(new VcpuRequest.PauseAcked(VCPU, 1));
        assertEquals(VcpuState.PAUSED, h.state());
        time.timePasses(THINK);
        assertEquals(0, h.inspect().completed());
        h.vcpu.tell(Vcpu.Unpause.INSTANCE);
        outcome.expectMessage(new Outcome(think, Outcome.Kind.DONE, 0, 0, Route.NOWHERE, false));
    }

    /** Shutdown abandons a think and cancels its timer: the operation ends once. */
    @Test
    void shutdownAbandonsAThinkOnce() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Think think = new GuestOp.Think(THINK.toNanos());
        TestProbe<Outcome> outcome = h.run(think);
        h.vcpu.tell(Vcpu.Shutdown.INSTANCE);
        outcome.expectMessage(new Outcome(think, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
        time.timePasses(THINK);
        VcpuSnapshot s = h.inspect();
        assertEquals(VcpuState.SHUTDOWN, s.state());
        assertEquals(1, s.completed());
        time.expectNoMessageFor(Duration.ofMillis(100), outcome);
    }
}
