package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** map_mem_type_to_ioreq_server (spec 10.10): HAP -> continuation -> type -> flags -> ENOENT -> EPERM -> claim. */
class MapMemTypeTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    static DmOp claim(int id, long flags) {
        return new DmOp.MapMemTypeToIoreqServer(id, 4, flags, 0);
    }

    @Test
    void checksInXensOrderAndOneOwnerAtATime() {
        XenFixture xen = new XenFixture(kit);
        int shadow = xen.guest(DomainConfig.guest("shadow", 1, XenOptions.SEED).withHap(false));
        assertEquals(Errno.EOPNOTSUPP, xen.dmOp(0, shadow, new DmOp.MapMemTypeToIoreqServer(9, 9, 9, 0))
                .errnoOrNull(), "no HAP: before everything");
        int d = xen.guest(1);
        int stub = xen.create(DomainConfig.stubdom("dm", d, XenOptions.SEED), -1).domid().value();
        int a = xen.createServer(d, 0);
        int b = xen.createServer(d, 0);
        assertEquals(new HypercallOutput.MemTypeOpaque(5), xen.dmOp(0, d,
                new DmOp.MapMemTypeToIoreqServer(9, 9, 9, 5)).value(), "a continuation skips to the end");
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, new DmOp.MapMemTypeToIoreqServer(9, 3, 2, 0)).errnoOrNull());
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, claim(9, 1)).errnoOrNull(), "READ is not supported");
        assertEquals(Errno.ENOENT, xen.dmOp(0, d, claim(9, 2)).errnoOrNull());
        assertEquals(Errno.EPERM, xen.dmOp(stub, d, claim(a, 2)).errnoOrNull());
        assertTrue(xen.dmOp(0, d, claim(a, 2)).isOk());
        assertEquals(Errno.EBUSY, xen.dmOp(0, d, claim(a, 2)).errnoOrNull(), "even the owner itself");
        assertEquals(Errno.EBUSY, xen.dmOp(0, d, claim(b, 2)).errnoOrNull());
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, claim(b, 0)).errnoOrNull(), "release by a non-owner");
        assertTrue(xen.dmOp(0, d, new DmOp.DestroyIoreqServer(a)).isOk());
        assertTrue(xen.dmOp(0, d, claim(b, 2)).isOk(), "destroying the owner released the claim");
        assertTrue(xen.dmOp(0, d, claim(b, 0)).isOk());
    }
}
