package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.List;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What {@link XenInspector} and {@link ServerView} report about Xen's state between steps, which the
 * stress monitors check the model against: a vCPU blocked on a server (spec 7.1: the latched request,
 * sent, the servers holding an entry for it, highest id first as its completion walks them, spec 7.3),
 * a server's ranges and per-vCPU ports (spec 3.3), the gfn pool (spec 11.2), and the pre-seed default
 * server (spec 14), which has no range sets. Added after mutation run E2 (docs/testing.md): these reads
 * had only the stress campaign as a test.
 */
class XenInspectorTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    @Test
    void aVcpuBlockedOnTheSecondServer() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(2);
        assertTrue(xen.setParam(0, d, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0).isOk());
        XenFixture.EmulatorProbe first = xen.emulator(0, d, 2, 0);
        XenFixture.EmulatorProbe second = xen.emulator(0, d, 2, 0);
        assertTrue(second.map(RangeType.PORT.code(), 0x3F8, 0x3FF).isOk());
        TestProbe<Outcome> read = xen.start(d, 1, GuestOp.Io.pioRead(0x3F8, 1));
        second.awaitRequest(1);

        XenInspector x = XenInspections.on(xen.host).get(d);
        assertTrue(x.hasVcpu(1));
        assertFalse(x.hasVcpu(5));
        assertEquals(0x3F8L, x.latched(1).addr());
        assertNull(x.latched(5));
        assertTrue(x.sentToServer(1));
        assertFalse(x.sentToServer(0));
        assertFalse(x.sentToServer(5));
        assertEquals(List.of(second.id(), first.id()), x.vcpuEntryServers(1), "highest id first");
        assertEquals(List.of(), x.vcpuEntryServers(5));
        assertEquals(0xFEFF0L, x.gfnPoolBase());

        ServerView v = x.server(second.id());
        assertEquals(second.id(), v.id());
        assertFalse(v.isDefault());
        assertEquals(1, v.ranges(RangeType.PORT).size());
        assertArrayEquals(new long[] {0x3F8, 0x3FF}, v.ranges(RangeType.PORT).get(0));
        assertEquals(second.page().vpEport(1), v.entryPort(1), "the port Xen wrote into the slot");
        assertEquals(-1, v.entryPort(9), "no entry for a vCPU that does not exist");
        assertTrue(v.entryLinked(1), "vCPU 1's own reference is this server's entry");
        assertFalse(v.entryLinked(9));
        assertNull(x.server(7), "an empty slot");

        second.respond(1, 0x5A);
        assertEquals(0x5AL, read.receiveMessage().value());
        assertFalse(x.sentToServer(1));
    }

    /** Spec 14: before the seed, the default server (id 0) is reported as such, with no ranges. */
    @Test
    void theDefaultServerBeforeTheSeed() {
        XenOptions legacy = XenOptions.SEED.with("legacyDefaultServer", true);
        XenFixture xen = new XenFixture(kit, legacy);
        int d = xen.guest(DomainConfig.guest("old", 1, legacy).withCreatePaused(true));
        assertTrue(xen.getParam(0, d, HvmParam.IOREQ_PFN).isOk(), "a toolstack read creates the default server");
        ServerView def = XenInspections.on(xen.host).get(d).server(0);
        assertTrue(def.isDefault());
        assertEquals(List.of(), def.ranges(RangeType.PORT));
        assertEquals(List.of(), def.ranges(RangeType.MEMORY));
    }
}
