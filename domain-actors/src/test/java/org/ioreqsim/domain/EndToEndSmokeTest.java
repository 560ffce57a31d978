package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.UartSink;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.WorkloadFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class EndToEndSmokeTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void uartWriteGoesToServerAndUnclaimedReadToNullHandler() {
        Host host = new Host();
        ActorRef<HypervisorMessage> xen = kit.spawn(Hypervisor.create(host, XenOptions.SEED, WorkloadFactory.IDLE));
        TestProbe<Hypervisor.DomainCreated> created = kit.createTestProbe();
        xen.tell(new Hypervisor.CreateDomain(DomainConfig.guest("guest", 2, XenOptions.SEED), -1, created.ref()));
        Hypervisor.DomainCreated d = created.receiveMessage();
        int domid = d.domid().value();
        UartSink uart = new UartSink("serial0");
        DeviceMap devices = DeviceMap.builder().port(0x3F8, 8, uart).build();
        TestProbe<EmulatorEvent> events = kit.createTestProbe();
        ActorRef<IoreqServer.Command> qemu = kit.spawn(IoreqServer.create(EmulatorConfig.qemu(0, domid, devices, 2),
                host, xen.narrow(), events.ref()));
        qemu.tell(IoreqServer.Start.INSTANCE);
        EmulatorEvent.Started started = events.expectMessageClass(EmulatorEvent.Started.class);
        assertEquals(0, started.serverId());

        TestProbe<Outcome> outcome = kit.createTestProbe();
        d.domain().tell(new Domain.RunOnVcpu(0, GuestOp.Io.pioWrite(0x3F8, 1, 'A'), outcome.ref()));
        Outcome w = outcome.receiveMessage();
        assertEquals(Outcome.Kind.DONE, w.kind());
        assertEquals(Route.server(domid, 0), w.route());
        assertEquals("A", uart.transmittedText());

        d.domain().tell(new Domain.RunOnVcpu(1, GuestOp.Io.pioRead(0x3FD, 1), outcome.ref()));
        Outcome lsr = outcome.receiveMessage();
        assertEquals(0x60, lsr.value());

        d.domain().tell(new Domain.RunOnVcpu(1, GuestOp.Io.pioRead(0x80, 2), outcome.ref()));
        Outcome n = outcome.receiveMessage();
        assertEquals(Route.NULL_HANDLER, n.route());
        assertEquals(0xFFFF, n.value());
    }
}
