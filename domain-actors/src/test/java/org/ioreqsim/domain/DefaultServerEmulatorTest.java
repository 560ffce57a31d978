package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.UartSink;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The QEMU-like emulator on the pre-seed default server (spec 13, 14 and 15's fallback): it reads
 * params 5, 6 and 26, maps the two gfns, binds, registers nothing, and then receives every access no
 * internal emulator and no other server claims.
 */
class DefaultServerEmulatorTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static final XenOptions LEGACY = XenOptions.SEED.with("legacyDefaultServer", true);
    /** libxc's special pages (spec 2): IOREQ_PFN 0xFEFFD, BUFIOREQ_PFN 0xFEFFB. */
    static final long IOREQ_GFN = 0xFEFFD;
    static final long BUFIOREQ_GFN = 0xFEFFB;

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** A guest being built (paused) with the legacy gfns set by the toolstack, as libxc does. */
    static int guestUnderConstruction(XenFixture xen, XenOptions options) {
        int d = xen.guest(DomainConfig.guest("old", 2, options).withCreatePaused(true).withEmulatedVga(true));
        assertTrue(xen.setParam(0, d, HvmParam.IOREQ_PFN, IOREQ_GFN).isOk());
        assertTrue(xen.setParam(0, d, HvmParam.BUFIOREQ_PFN, BUFIOREQ_GFN).isOk());
        return d;
    }

    static TestProbe<EmulatorEvent> start(XenFixture xen, int d, DeviceMap devices) {
        TestProbe<EmulatorEvent> events = kit.createTestProbe();
        ActorRef<IoreqServer.Command> qemu = kit.spawn(IoreqServer.create(EmulatorConfig.qemu(0, d, devices, 2)
                .withDefaultServer(true), xen.host, xen.xen.narrow(), events.ref()));
        qemu.tell(IoreqServer.Start.INSTANCE);
        return events;
    }

    @Test
    void theDefaultServerServesEverythingNobodyClaims() {
        XenFixture xen = new XenFixture(kit, LEGACY);
        int d = guestUnderConstruction(xen, LEGACY);
        UartSink uart = new UartSink("serial0");
        EmulatorEvent.Started started = start(xen, d, DeviceMap.builder().port(0x3F8, 8, uart).build())
                .expectMessageClass(EmulatorEvent.Started.class);
        assertEquals(0, started.serverId(), "DEFAULT_IOSERVID");
        assertEquals(2, started.localPorts().size(), "both vCPU ports bound");
        ServerSnapshot def = xen.server(d, 0);
        assertTrue(def.isDefault() && def.enabled(), "created by the param read, enabled at creation (spec 14)");
        assertEquals(new HypercallOutput.ParamValue(started.bufioreqPort()),
                xen.getParam(0, d, HvmParam.BUFIOREQ_EVTCHN).value(), "the bufioreq port came from param 26");
        TestUnpause.unpause(xen, d);

        Outcome lsr = xen.run(d, 1, GuestOp.Io.pioRead(0x3FD, 1));
        assertEquals(Route.server(d, 0), lsr.route(), "no range was registered: the default server takes it");
        assertEquals(0x60L, lsr.value());
        Outcome hole = xen.run(d, 0, GuestOp.Io.pioRead(0x2F8, 1));
        assertEquals(Route.server(d, 0), hole.route(), "not the null handler, as at the seed");
        assertEquals(0xFFL, hole.value(), "the emulator has no device there and answers all ones");
        Outcome vga = xen.run(d, 0, GuestOp.Io.mmioWrite(0xA0000, 1, 0x12));
        assertEquals(Route.server(d, 0), vga.route());
        assertTrue(vga.buffered(), "stdvga selects the default server and sends buffered (spec 8.1)");
    }

    @Test
    void atTheSeedParam26AnswersEnodataAndTheStartFails() {
        XenFixture xen = new XenFixture(kit);
        int d = guestUnderConstruction(xen, XenOptions.SEED);
        EmulatorEvent.StartFailed f = start(xen, d, DeviceMap.builder().build())
                .expectMessageClass(EmulatorEvent.StartFailed.class);
        assertEquals(new EmulatorEvent.StartFailed(d, "get_param BUFIOREQ_EVTCHN", Errno.ENODATA), f,
                "spec 15: the fallback fails after the seed because param 26 returns -ENODATA");
        assertEquals(null, xen.server(d, 0), "reading IOREQ_PFN created nothing (spec 13)");
    }
}
