package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Spec 5 step 8a with 10.10: MMIO to a page of type {@code p2m_ioreq_server} ({@code hvmemul_do_io}
 * with {@code p2m_get_ioreq_server}). Writes go to the server that claimed the type, whatever its
 * ranges and even while it is disabled; reads (part of a read-modify-write) come from the page itself
 * ({@code ioreq_server_handler}'s {@code mem_read}). Only sim's example script 18 exercised this path
 * before mutation run E1 (docs/testing.md), so no killer test of the mutation profile covered it.
 */
class MemTypeEmulationTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    @Test
    void writesGoToTheClaimingServerAndReadsComeFromRam() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        XenFixture.EmulatorProbe e = xen.emulator(0, d, 1, 0);
        GuestMemory ram = xen.host.guestMemory(d);
        ram.write(0x100010, 4, 0x11223344L);
        ram.write(0x100014, 4, 0x55667788L);
        assertTrue(xen.dmOp(0, d, new DmOp.MapMemTypeToIoreqServer(e.id(), 4, 2, 0)).isOk(), "claim");
        assertTrue(xen.dmOp(0, d, new DmOp.SetMemType(2, 4, 0, 0x100)).isOk(), "gfns 0x100-0x101");

        Outcome read = xen.run(d, 0, GuestOp.Io.mmioRead(0x100010, 4));
        assertEquals(0x11223344L, read.value(), "from the page, not from the server");
        assertEquals(Emulation.RAM_ROUTE, read.route());

        // rep movs backwards (df) from the typed page into a guest buffer at 0x8000..0x8007
        Outcome rep = xen.run(d, 0, new GuestOp.Io(true, 0x100014, 4, 2, IoDirection.READ, true, true, 0x8004));
        assertEquals(2, rep.reps());
        assertEquals(0x55667788L, ram.read(0x8004, 4));
        assertEquals(0x11223344L, ram.read(0x8000, 4));

        TestProbe<Outcome> write = xen.start(d, 0, GuestOp.Io.mmioWrite(0x100010, 4, 0x1234));
        e.awaitRequest(0);
        Ioreq sent = e.page().load(0);
        assertEquals(0x100010L, sent.addr(), "no range of the server covers it");
        assertEquals(0x1234L, sent.data());
        e.respond(0, 0);
        assertEquals(Route.server(d, e.id()), write.receiveMessage().route(), "answered by the claimant");

        assertTrue(xen.enable(0, d, e.id(), false).isOk());
        TestProbe<Outcome> whileDisabled = xen.start(d, 0, GuestOp.Io.mmioWrite(0x101000, 2, 7));
        e.awaitRequest(0);
        assertEquals(0x101000L, e.page().load(0).addr(), "a disabled claimant still gets the writes");
        e.respond(0, 0);
        whileDisabled.receiveMessage();

        assertTrue(xen.dmOp(0, d, new DmOp.MapMemTypeToIoreqServer(e.id(), 4, 0, 0)).isOk(), "release");
        assertEquals(Route.NULL_HANDLER, xen.run(d, 0, GuestOp.Io.mmioWrite(0x100010, 4, 1)).route(),
                "ram_rw again: the ordinary way, no server claims it");
        assertEquals(0x11223344L, ram.read(0x100010, 4), "no write reached RAM: the server's were not to it");
    }
}
