package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.List;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** get_info (spec 10.6), acquire_resource (10.7) and the ioreq gfn pool (11.1, 11.2). */
class ServerPagesTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    /** A guest whose toolstack set the libxc gfn pool: 8 pages from 0xFEFF0. */
    static int guestWithPool(XenFixture xen, int vcpus) {
        int d = xen.guest(vcpus);
        assertTrue(xen.setParam(0, d, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0).isOk());
        assertTrue(xen.setParam(0, d, HvmParam.NR_IOREQ_SERVER_PAGES, 8).isOk());
        return d;
    }

    static HypercallOutput.IoreqServerInfo info(Result<HypercallOutput> r) {
        assertTrue(r.isOk(), r.describe());
        return (HypercallOutput.IoreqServerInfo) r.value();
    }

    @Test
    void noGfnsReportsOnlyTheBufioreqPortAndKeepsTheCallersOtherFields() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        int buf = xen.createServer(d, 2);
        int off = xen.createServer(d, 0);
        assertEquals(new HypercallOutput.IoreqServerInfo(2, 0x1111, 0x2222),
                info(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(buf, 1, 77, 0x1111, 0x2222))));
        assertEquals(new HypercallOutput.IoreqServerInfo(77, 0x1111, 0x2222),
                info(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(off, 1, 77, 0x1111, 0x2222))),
                "bufioreq OFF: nothing is written back");
    }

    @Test
    void gfnsComeLowestFirstFromThePoolAndRepeatCallsAreIdempotent() {
        XenFixture xen = new XenFixture(kit);
        int d = guestWithPool(xen, 1);
        int s0 = xen.createServer(d, 2);
        int s1 = xen.createServer(d, 0);
        assertEquals(new HypercallOutput.IoreqServerInfo(2, 0xFEFF0, 0xFEFF1),
                info(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s0, 0))));
        assertEquals(new HypercallOutput.IoreqServerInfo(2, 0xFEFF0, 0xFEFF1),
                info(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s0, 0))), "idempotent");
        assertEquals(new HypercallOutput.IoreqServerInfo(0, 0xFEFF2, 0),
                info(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s1, 0))), "OFF: no buffered gfn");
        assertTrue(xen.dmOp(0, d, new DmOp.DestroyIoreqServer(s0)).isOk());
        int s2 = xen.createServer(d, 2);
        assertEquals(new HypercallOutput.IoreqServerInfo(2, 0xFEFF0, 0xFEFF1),
                info(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s2, 0))), "freed gfns and ports are reused lowest-first");
    }

    @Test
    void anEmptyPoolGivesEnomemAndTheIoreqGfnIsReturned() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        assertTrue(xen.setParam(0, d, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0).isOk());
        assertTrue(xen.setParam(0, d, HvmParam.NR_IOREQ_SERVER_PAGES, 1).isOk());
        int s = xen.createServer(d, 2);
        assertEquals(Errno.ENOMEM, xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s, 0)).errnoOrNull(),
                "the buffered page finds the pool empty");
        int off = xen.createServer(d, 0);
        assertEquals(0xFEFF0, info(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(off, 0))).ioreqGfn(),
                "the failed call undid its ioreq mapping");
    }

    @Test
    void aGfnThatIsNotPopulatedRamGivesEinval() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        assertTrue(xen.setParam(0, d, HvmParam.IOREQ_SERVER_PFN, 0xE0000).isOk());
        assertTrue(xen.setParam(0, d, HvmParam.NR_IOREQ_SERVER_PAGES, 2).isOk());
        int s = xen.createServer(d, 0);
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s, 0)).errnoOrNull());
    }

    @Test
    void getInfoChecksFlagsBeforeTheLookupThenOwnership() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        int other = xen.create(DomainConfig.stubdom("dm", d, XenOptions.SEED), -1).domid().value();
        int s = xen.createServer(d, 2);
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(7, 2)).errnoOrNull());
        assertEquals(Errno.ENOENT, xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(7, 1)).errnoOrNull());
        assertEquals(Errno.ENOENT, xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(8, 1)).errnoOrNull());
        assertEquals(Errno.EPERM, xen.dmOp(other, d, new DmOp.GetIoreqServerInfo(s, 1)).errnoOrNull(),
                "another DM-privileged domain may not use dom0's server (8df3821c08)");
    }

    @Test
    void acquireResourceMapsFrame0BufferedAndFrame1Synchronous() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        int s = xen.createServer(d, 2);
        var r = (HypercallOutput.ResourceFrames) xen.acquire(0, d, s, 0, 2).value();
        assertEquals(2, r.mfns().size());
        ServerSnapshot snap = xen.server(d, s);
        assertEquals(List.of(snap.bufioreqMfn(), snap.ioreqMfn()), r.mfns());
        assertEquals(-1, snap.ioreqGfn(), "resource pages never enter the physmap");
        assertEquals(r.mfns(), ((HypercallOutput.ResourceFrames) xen.acquire(0, d, s, 0, 2).value()).mfns(),
                "allocated once");
        assertEquals(Errno.EPERM, xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s, 0)).errnoOrNull(),
                "gfn mapping is refused once pages were allocated");
    }

    @Test
    void frameIndexesAreCheckedAfterThePagesAreAllocated() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        int off = xen.createServer(d, 0);
        assertEquals(Errno.ENOENT, xen.acquire(0, d, off, 0, 1).errnoOrNull(), "OFF has no buffered frame");
        int s = xen.createServer(d, 2);
        assertEquals(Errno.EINVAL, xen.acquire(0, d, s, 2, 1).errnoOrNull());
        assertNotEquals(-1, xen.server(d, s).ioreqMfn(), "the failed call still allocated the pages");
        assertEquals(Errno.EINVAL, xen.acquire(0, d, s, 1, 2).errnoOrNull(), "the first failing frame fails all");
        assertEquals(Errno.ENOENT, xen.acquire(0, d, 5, 0, 1).errnoOrNull());
        assertTrue(xen.acquire(0, d, 5, 0, 0).isOk(), "no frames: no lookup at all");
    }

    @Test
    void acquireResourcePreambleOrder() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        assertEquals(Errno.EINVAL, xen.call(0, new Hypercall.AcquireResource(999, 7, 70000, 0, 33, 1, false))
                .errnoOrNull(), "flags first");
        var max = xen.call(0, new Hypercall.AcquireResource(999, 7, 0, 0, 0, 0, true));
        assertEquals(32, ((HypercallOutput.ResourceFrames) max.value()).nrFrames(), "no frame list: the maximum");
        assertEquals(Errno.EINVAL, xen.call(0, new Hypercall.AcquireResource(999, 0, 0, 0, 1, 0, true))
                .errnoOrNull());
        assertEquals(Errno.E2BIG, xen.call(0, new Hypercall.AcquireResource(999, 7, 0, 0, 33, 0, false))
                .errnoOrNull());
        assertEquals(Errno.ESRCH, xen.call(0, new Hypercall.AcquireResource(999, 7, 0, 0, 1, 0, false))
                .errnoOrNull());
        assertEquals(Errno.EPERM, xen.call(d, new Hypercall.AcquireResource(d, 7, 0, 0, 1, 0, false))
                .errnoOrNull(), "the target itself");
        assertEquals(Errno.EOPNOTSUPP, xen.call(0, new Hypercall.AcquireResource(d, 7, 70000, 0, 1, 0, false))
                .errnoOrNull(), "unknown resource type before the id check");
        assertEquals(Errno.EINVAL, xen.call(0, new Hypercall.AcquireResource(d, 0, 70000, 0, 1, 0, false))
                .errnoOrNull(), "id not a 16-bit server id");
    }

    @Test
    void acquireAfterGfnMappingIsRefusedAndTheSeedDropsTheIoreqPage() {
        XenFixture xen = new XenFixture(kit);
        int d = guestWithPool(xen, 1);
        int s = xen.createServer(d, 2);
        assertTrue(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s, 0)).isOk());
        assertEquals(Errno.EPERM, xen.acquire(0, d, s, 1, 1).errnoOrNull());
        ServerSnapshot snap = xen.server(d, s);
        assertEquals(0xFEFF0, snap.ioreqGfn(), "the gfn stays");
        assertEquals(-1, snap.ioreqMfn(), "hvm_ioreq_server_alloc_pages' failure path frees the ioreq page");
    }

    /**
     * Spec 10.7 then 10.9 (deinit returns gfns to the pool, 11.2). {@code hvm_alloc_ioreq_mfn} sets only
     * {@code iorp->page}, so a second acquire after the drop keeps the dropped page's gfn and
     * {@code hvm_unmap_ioreq_gfn} frees it at destroy (stress seed 18801: the gfn was lost from the pool).
     */
    @Test
    void aSecondAcquireAfterTheDropKeepsTheGfnAndDestroyReturnsIt() {
        XenFixture xen = new XenFixture(kit);
        int d = guestWithPool(xen, 1);
        int s = xen.createServer(d, 1);
        assertTrue(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s, 0)).isOk());
        assertEquals(Errno.EPERM, xen.acquire(0, d, s, 0, 1).errnoOrNull(), "drops the ioreq page");
        assertEquals(Errno.EPERM, xen.acquire(0, d, s, 0, 1).errnoOrNull(),
                "a fresh ioreq page, then the gfn-mapped buffered page refuses");
        ServerSnapshot snap = xen.server(d, s);
        assertEquals(0xFEFF0, snap.ioreqGfn(), "hvm_alloc_ioreq_mfn leaves iorp->gfn as it was");
        assertEquals(-1, snap.ioreqMfn(), "the failure path freed the fresh page again");
        assertTrue(xen.dmOp(0, d, new DmOp.DestroyIoreqServer(s)).isOk());
        int next = xen.createServer(d, 1);
        assertEquals(new HypercallOutput.IoreqServerInfo(2, 0xFEFF0, 0xFEFF1),
                info(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(next, 0))), "both gfns went back to the pool");
    }

    @Test
    void enablingTakesGfnPagesOutOfThePhysmapAndDisablingPutsThemBack() {
        XenFixture xen = new XenFixture(kit);
        int d = guestWithPool(xen, 1);
        int s = xen.createServer(d, 2);
        assertTrue(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s, 0)).isOk());
        var guest = xen.host.guestMemory(d);
        assertTrue(guest.isPopulated(0xFEFF0L << 12));
        assertTrue(xen.enable(0, d, s, true).isOk());
        assertFalse(guest.isPopulated(0xFEFF0L << 12), "the guest can no longer see the ioreq page");
        assertFalse(guest.isPopulated(0xFEFF1L << 12));
        assertTrue(xen.enable(0, d, s, false).isOk());
        assertTrue(guest.isPopulated(0xFEFF0L << 12));
        assertEquals(0, guest.read(0xFEFF0L << 12, 8), "zeroed on the way back");
    }

    @Test
    void gfnsMappedAfterEnablingStayGuestVisibleH13() {
        XenFixture xen = new XenFixture(kit);
        int d = guestWithPool(xen, 1);
        int s = xen.createServer(d, 0);
        assertTrue(xen.enable(0, d, s, true).isOk());
        assertTrue(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s, 0)).isOk());
        assertTrue(xen.host.guestMemory(d).isPopulated(0xFEFF0L << 12), "the ioreq page is in the guest's physmap");
        assertTrue(xen.inspect(d).findings().stream().anyMatch(f -> f.startsWith("H13:")));
    }
}
