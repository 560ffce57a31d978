package org.ioreqsim.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ioreqsim.ioreq.host.Host;

/**
 * The {@link XenInspector}s of one host's domains, by domid: how monitors and tests reach a domain's
 * Xen-side state. A domain publishes its inspector when it is created; it is withdrawn when the domain
 * is unregistered from the host. One registry per host ({@link #on}).
 *
 * <p>Thread-safe: domains publish from their actors' threads, monitors read from theirs.
 */
public final class XenInspections implements Host.Extension {
    private final Map<Integer, XenInspector> byDomid = new ConcurrentHashMap<>();

    private XenInspections(Host host) {
    }

    /** The registry of {@code host}. */
    public static XenInspections on(Host host) {
        return host.extension(XenInspections.class, XenInspections::new);
    }

    /** Domain {@code domid} publishes its inspector (a domain created again with the same id replaces it). */
    public void publish(int domid, XenInspector inspector) {
        byDomid.put(domid, inspector);
    }

    /** The inspector domain {@code domid} published, or {@code null} (no such domain, or gone). */
    public XenInspector get(int domid) {
        return byDomid.get(domid);
    }

    @Override
    public void unregistered(int domid) {
        byDomid.remove(domid);
    }
}
