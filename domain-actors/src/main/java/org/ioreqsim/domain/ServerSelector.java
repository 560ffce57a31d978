package org.ioreqsim.domain;

import org.ioreqsim.ioreq.Ioreq;

/**
 * A replacement for Xen's server selection ({@code hvm_select_ioreq_server}, spec section 6), for tests
 * that want to run their own routing table under the same harness and monitors. A domain built without
 * one selects as Xen does; the model never uses this interface itself.
 *
 * <p>The selector runs inside the domain actor, for every guest access that reaches selection (a PIO or
 * COPY request after Xen's internal intercepts, or a stdvga buffered write), and reads the server table
 * through the domain's {@link XenInspector}.
 */
@FunctionalInterface
public interface ServerSelector {

    /**
     * The choice: a server id, or -1 for none (the null handler); and for a PCI config data cycle
     * routed by SBDF, the PCI_CONFIG address {@code (sbdf << 32) | register} to rewrite the request with
     * (-1: no rewrite).
     */
    record Selection(int serverId, long pciKey) {
        public static final Selection NONE = new Selection(-1, -1);
    }

    /** Chooses the server for {@code p} in {@code domain}, whose CF8 latch holds {@code cf8}. */
    Selection select(XenInspector domain, Ioreq p, long cf8);
}
