package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link PortClaims}, the per-check record behind {@code ports.double-allocation} and {@code ports.leak}
 * (spec 10.2 step 7: each entry its own port; spec 4: no Xen-attached port outside an entry).
 */
class PortClaimsTest {

    @Test
    void aSecondClaimOfAPortNamesTheFirstOwner() {
        PortClaims c = new PortClaims();
        int vcpu1 = PortClaims.owner(3, 1, false);
        int buf = PortClaims.owner(2, 0, true);
        assertEquals(PortClaims.NONE, c.claim(5, vcpu1));
        assertEquals(vcpu1, c.claim(5, buf));
        assertEquals("server 3 vCPU 1", PortClaims.describe(vcpu1));
        assertEquals("server 2 bufioreq", PortClaims.describe(buf));
        assertTrue(c.claimed(5));
        assertFalse(c.claimed(4));
    }

    @Test
    void clearingForgetsEveryClaimAndLargeOrNegativePortsCount() {
        PortClaims c = new PortClaims();
        int o = PortClaims.owner(0, 0, false);
        c.claim(1, o);
        c.claim(1000, o);
        c.claim(-1, o);
        assertTrue(c.claimed(1000) && c.claimed(-1));
        c.clear();
        assertFalse(c.claimed(1) || c.claimed(1000) || c.claimed(-1));
        assertEquals(PortClaims.NONE, c.claim(1, o));
        assertEquals(PortClaims.NONE, c.claim(-1, o));
        assertEquals(o, c.claim(-1, o));
    }
}
