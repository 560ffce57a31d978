package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.ProgramGenerator;
import org.ioreqsim.sim.stress.ScheduleResult;
import org.ioreqsim.sim.stress.ScheduleRunner;
import org.ioreqsim.sim.stress.StressConfig;
import org.ioreqsim.sim.stress.StressFeature;
import org.ioreqsim.sim.stress.Strategies;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.InFlight;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;
import org.junit.jupiter.api.Test;

/**
 * Two answers for one request (issue 13, seed 1146 of {@code stress --strategy random --features all}):
 * the manual answerer took vCPU 2's read and chose its answer; before that answer reached the emulator, a
 * misbehaving lane's {@code respond} (spec 16 H8) wrote another value and IORESP_READY; the vCPU consumed
 * that one. Xen is right: completion consumes whatever the slot holds when it sees IORESP_READY (spec 7.3),
 * and the emulator may move READY or INPROCESS to IORESP_READY (spec 7.4). The monitor was wrong: it took
 * "what the emulator answered" from the client that asked for the answer, at the time it asked, not from
 * the emulator's write (spec 7.2 steps 4 and 6; spec 15: "write data; set IORESP_READY"). It now takes it
 * from the {@link IoreqServer.Respond} the emulator's step processes.
 */
class AnswerRaceTest {
    private static final String EMULATOR = "d1-c0/qemu-1";

    private final Fixture f = Fixture.direct();
    private final ProtocolChecker protocol = f.add(new ProtocolChecker(f.ctx));
    private final DomainShadow d = f.domain(1);
    private final ServerShadow ss = f.server(1, 0, 2);

    /** vCPU 0 has a read outstanding at server 0 (as after a send, spec 7.1). */
    private void outstandingRead() {
        Ioreq read = Fixture.pio(0x1002, 1, IoDirection.READ);
        d.vcpu(0).inflight.add(new InFlight(0, ss.generation, read, read, 0));
    }

    private void emulatorResponds(int step, long data) {
        IoreqServer.Respond r = new IoreqServer.Respond(0, data, null);
        f.step(step, EMULATOR, r);
        protocol.emulatorStep(ss, r);
    }

    private void vcpuConsumes(int step, long data) {
        f.step(step, "xen/domain-1/vcpu-0", null)
                .event(new ModelEvent.IoreqCompleted(1, 0, 0, IoreqState.IORESP_READY, data));
    }

    /** Spec 7.2-7.4: the answer that counts is the last one the emulator wrote before completion. */
    @Test
    void theVcpuConsumesTheAnswerTheEmulatorWroteLast() {
        outstandingRead();
        emulatorResponds(1, 0x4EDB625E387F7AE8L); // the misbehaving lane's respond, processed first
        emulatorResponds(2, 0x76B82559344389B1L); // the answerer's, processed before the vCPU ran
        vcpuConsumes(3, 0x76B82559344389B1L);
        assertEquals(List.of(), f.rules());
    }

    /** Spec 7.3: consuming anything but what the emulator wrote is still a violation. */
    @Test
    void consumingAnEarlierOrAnotherAnswerBreaksTheProtocol() {
        outstandingRead();
        emulatorResponds(1, 0x4EDB625E387F7AE8L);
        emulatorResponds(2, 0x76B82559344389B1L);
        vcpuConsumes(3, 0x4EDB625E387F7AE8L);
        assertEquals(List.of("completion.wrong-data"), f.rules());
    }

    /** Seed 1146 itself, with every feature on under the random strategy: no rule broken. */
    @Test
    void seed1146BreaksNoRule() {
        StressConfig cfg = StressConfig.defaults().withStrategy("random", 3).withFeatures(StressFeature.flags());
        try (ScheduleRunner runner = new ScheduleRunner("answer-race")) {
            ScheduleResult r = runner.run(cfg, 1146, ProgramGenerator.generate(cfg, 1146),
                    Strategies.create(cfg.strategy(), cfg.depth()), ScheduleRunner.RunOptions.DEFAULT);
            assertEquals(List.of(), r.violations());
        }
    }
}
