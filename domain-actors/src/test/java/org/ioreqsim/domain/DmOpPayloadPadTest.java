package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A payload pad that is not zero is EINVAL before anything else of the op, and changes nothing: set_state
 * (spec 10.8 step 1), destroy (10.9 step 1), set_mem_type (dm.c). Added after mutation run E1
 * (docs/testing.md): only sim's scripts sent these.
 */
class DmOpPayloadPadTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    @Test
    void aPayloadPadIsEinvalAndChangesNothing() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        int s = xen.createServer(d, 0);
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, new DmOp.SetIoreqServerState(s, 1, 1)).errnoOrNull());
        assertFalse(xen.server(d, s).enabled(), "set_state with a pad did not enable");
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, new DmOp.DestroyIoreqServer(s, 1)).errnoOrNull());
        assertNotNull(xen.server(d, s), "destroy with a pad did not destroy");
        assertTrue(xen.dmOp(0, d, new DmOp.MapMemTypeToIoreqServer(s, 4, 2, 0)).isOk(), "claim");
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, new DmOp.SetMemType(1, 4, 1, 0x100)).errnoOrNull());
        assertEquals("ram_rw", XenInspections.on(xen.host).get(d).memType(0x100));
        assertTrue(xen.dmOp(0, d, new DmOp.SetMemType(1, 4, 0, 0x100)).isOk(), "the same op without the pad");
        assertEquals("ioreq_server", XenInspections.on(xen.host).get(d).memType(0x100));
    }
}
