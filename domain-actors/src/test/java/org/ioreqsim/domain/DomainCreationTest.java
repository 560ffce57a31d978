package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.List;
import org.ioreqsim.ioreq.Errno;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code domain_create} as the toolstack sees it: an explicit domid must be below
 * {@code DOMID_FIRST_RESERVED} (0x7FF0) and free ({@code is_free_domid}), else EINVAL / EEXIST; without
 * one the rover hands out the next free domid. The hypervisor's domain queries answer from its table.
 * Added after mutation run E1 (docs/testing.md): only sim's scripts met these answers.
 */
class DomainCreationTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    @Test
    void explicitDomidsMustBeFreeAndBelowTheReservedOnes() {
        XenFixture xen = new XenFixture(kit);
        DomainConfig cfg = DomainConfig.guest("g", 1, org.ioreqsim.ioreq.XenOptions.SEED);
        assertEquals(Errno.EINVAL, xen.create(cfg, 0x7FF0).domid().errnoOrNull(), "DOMID_FIRST_RESERVED");
        assertEquals(Errno.EINVAL, xen.create(cfg, -2).domid().errnoOrNull());
        assertEquals(0x7FEF, xen.create(cfg, 0x7FEF).domid().value(), "the last ordinary domid");
        assertEquals(Errno.EEXIST, xen.create(cfg, 0x7FEF).domid().errnoOrNull());
        int a = xen.guest(cfg);
        int b = xen.guest(cfg);
        assertEquals(a + 1, b, "the rover moves on");

        TestProbe<List<Integer>> list = kit.createTestProbe();
        xen.xen.tell(new Hypervisor.ListDomains(list.ref()));
        List<Integer> ids = list.receiveMessage();
        assertTrue(ids.containsAll(List.of(0, a, b, 0x7FEF)), ids.toString());
        assertEquals(4, ids.size(), "dom0 and the three guests");

        TestProbe<Hypervisor.DomainLookup> lookup = kit.createTestProbe();
        xen.xen.tell(new Hypervisor.GetDomain(b, lookup.ref()));
        assertNotNull(lookup.receiveMessage().domain());
        xen.xen.tell(new Hypervisor.GetDomain(0x7000, lookup.ref()));
        assertNull(lookup.receiveMessage().domain(), "no such domain");
    }
}
