package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.UartSink;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.WorkloadFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A vCPU's domain crash end to end: an emulator that writes an illegal slot state makes the waiting
 * vCPU crash its domain (XSA-262's "Weird HVM iorequest state"); the vCPU's operation ends
 * DOMAIN_CRASHED, the domain reports CRASHED with the reason, and its other vCPUs stop running.
 */
class VcpuCrashTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void illegalSlotStateCrashesTheDomain() {
        Host host = new Host();
        ActorRef<HypervisorMessage> xen = kit.spawn(Hypervisor.create(host, XenOptions.SEED, WorkloadFactory.IDLE));
        TestProbe<Hypervisor.DomainCreated> created = kit.createTestProbe();
        xen.tell(new Hypervisor.CreateDomain(DomainConfig.guest("guest", 2, XenOptions.SEED), -1, created.ref()));
        Hypervisor.DomainCreated d = created.receiveMessage();
        TestProbe<EmulatorEvent> events = kit.createTestProbe();
        DeviceMap devices = DeviceMap.builder().port(0x3F8, 8, new UartSink("serial0")).build();
        ActorRef<IoreqServer.Command> qemu = kit.spawn(IoreqServer.create(EmulatorConfig.qemu(0, d.domid().value(),
                devices, 2).withHandling(EmulatorConfig.Handling.MANUAL), host, xen.narrow(), events.ref()));
        qemu.tell(IoreqServer.Start.INSTANCE);
        events.expectMessageClass(EmulatorEvent.Started.class);

        TestProbe<Outcome> outcome = kit.createTestProbe();
        d.domain().tell(new Domain.RunOnVcpu(0, GuestOp.Io.pioRead(0x3FD, 1), outcome.ref()));
        events.expectMessageClass(EmulatorEvent.RequestPending.class);
        TestProbe<Result<Ioreq>> slot = kit.createTestProbe();
        qemu.tell(new IoreqServer.SetSlotState(0, 9, slot.ref()));
        slot.receiveMessage();
        TestProbe<Result<Integer>> sent = kit.createTestProbe();
        qemu.tell(new IoreqServer.Notify(0, sent.ref()));
        assertTrue(sent.receiveMessage().isOk());

        assertEquals(Outcome.Kind.DOMAIN_CRASHED, outcome.receiveMessage().kind());
        // The outcome leaves the vCPU before it stops; the domain crashes on the vCPU's VcpuFailed report after.
        TestProbe<DomainSnapshot> snap = kit.createTestProbe();
        DomainSnapshot s = snap.awaitAssert(Duration.ofSeconds(3), () -> {
            d.domain().tell(new Domain.Inspect(snap.ref()));
            DomainSnapshot now = snap.receiveMessage();
            assertEquals(DomainState.CRASHED, now.state());
            return now;
        });
        assertTrue(s.crashReason().contains("Weird HVM iorequest state"), s.crashReason());
        d.domain().tell(new Domain.RunOnVcpu(1, GuestOp.Io.pioRead(0x3FD, 1), outcome.ref()));
        assertEquals(Outcome.Kind.DOMAIN_CRASHED, outcome.receiveMessage().kind());
    }
}
