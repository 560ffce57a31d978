package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.Map;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code XEN_DMOP_create_ioreq_server} (spec 10.2) and the ports it allocates (4.1). */
class CreateServerTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    @Test
    void idsAreTheLowestFreeSlotAndTheNinthServerGetsEnospc() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        for (int i = 0; i < 8; i++) {
            assertEquals(i, xen.createServer(d, 2));
        }
        assertEquals(Errno.ENOSPC, xen.dmOp(0, d, new DmOp.CreateIoreqServer(2)).errnoOrNull());
        assertTrue(xen.dmOp(0, d, new DmOp.DestroyIoreqServer(3)).isOk());
        assertEquals(3, xen.createServer(d, 0), "a freed slot is reused lowest-first");
    }

    @Test
    void portsFollowVcpuOrderWithTheBufioreqPortAfterVcpu0() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(2);
        int id = xen.createServer(d, 2);
        ServerSnapshot s = xen.server(d, id);
        assertEquals(Map.of(0, 1, 1, 3), s.vcpuPorts(), "spec 10.2 example: vCPU0 port 1, vCPU1 port 3");
        assertEquals(2, s.bufioreqPort());
        assertEquals(false, s.enabled());
        assertEquals(-1, s.ioreqMfn(), "no pages yet");
        EventChannel p = xen.host.port(d, 1);
        assertEquals(EventChannel.State.UNBOUND, p.state());
        assertEquals(0, p.remoteDomid(), "waiting for the emulator's domain");
        assertEquals(0, p.notifyVcpu());
        assertTrue(p.isXenConsumer());
        int off = xen.createServer(d, 0);
        assertEquals(Map.of(0, 4, 1, 5), xen.server(d, off).vcpuPorts(), "bufioreq OFF: no buffered port");
        assertEquals(0, xen.server(d, off).bufioreqPort());
    }

    @ParameterizedTest(name = "handle_bufioreq {0} pad {1},{2},{3} -> {4}")
    @CsvSource({
        "3, 0, 0, 0, EINVAL",
        "255, 0, 0, 0, EINVAL",
        "0, 1, 0, 0, EINVAL",
        "0, 0, 0, 1, EINVAL",
        "9, 1, 0, 0, EINVAL",
        "2, 0, 0, 0, ",
        "1, 0, 0, 0, ",
    })
    void padBytesAndBufioreqModeAreChecked(int mode, int p0, int p1, int p2, String expected) {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        Errno e = xen.dmOp(0, d, new DmOp.CreateIoreqServer(mode, p0, p1, p2)).errnoOrNull();
        assertEquals(expected == null ? null : Errno.valueOf(expected), e);
    }

    @Test
    void portExhaustionFailsWithEnospcAndUndoesEverything() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(DomainConfig.guest("small", 3, XenOptions.SEED).withMaxEvtchnPort(4));
        int first = xen.createServer(d, 0);
        assertEquals(Map.of(0, 1, 1, 2, 2, 3), xen.server(d, first).vcpuPorts());
        assertEquals(Errno.ENOSPC, xen.dmOp(0, d, new DmOp.CreateIoreqServer(0)).errnoOrNull());
        assertNull(xen.server(d, 1), "the slot is emptied");
        assertEquals(EventChannel.State.FREE, xen.host.port(d, 4).state(), "the port it got is freed");
        assertEquals(1, xen.inspect(d).servers().size());
    }

    @Test
    void beforeTheSeedExplicitServersUseSlots1To7Only() {
        XenOptions legacy = XenOptions.SEED.with("legacyDefaultServer", true);
        XenFixture xen = new XenFixture(kit, legacy);
        int d = xen.guest(DomainConfig.guest("old", 1, legacy));
        for (int i = 1; i < 8; i++) {
            assertEquals(i, xen.createServer(d, 2));
        }
        assertEquals(Errno.ENOSPC, xen.dmOp(0, d, new DmOp.CreateIoreqServer(2)).errnoOrNull(),
                "the 8th explicit server, with no default server present");
    }

    @Test
    void createOutputCarriesTheId() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(0);
        assertEquals(new HypercallOutput.IoreqServerId(0), xen.dmOp(0, d, new DmOp.CreateIoreqServer(1)).value());
    }
}
