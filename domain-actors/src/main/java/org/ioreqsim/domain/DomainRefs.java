package org.ioreqsim.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ioreqsim.ioreq.host.Host;

/**
 * The references ioreq servers hold on their emulators' domains: {@code hvm_ioreq_server_init} takes one
 * ({@code get_knownalive_domain(s->emulator)}) and {@code hvm_ioreq_server_deinit} drops it
 * ({@code put_domain}). An emulator domain killed while it still has servers is not released: it stays a
 * zombie, its domid taken, until the last of its servers goes (with its target's destruction, since a
 * dead emulator can no longer destroy them itself). One table per host ({@link #on}); the hypervisor
 * reads it when it decides whether a domid is free.
 *
 * <p>Thread-safe: domains take and drop references from their own actors' threads.
 */
public final class DomainRefs implements Host.Extension {
    private final Map<Integer, Integer> held = new ConcurrentHashMap<>();

    /** A table of its own (a domain built outside a host, as the selection benchmark's). */
    DomainRefs() {
    }

    /** The table of {@code host}. */
    public static DomainRefs on(Host host) {
        return host.extension(DomainRefs.class, h -> new DomainRefs());
    }

    /** A server of some domain now refers to domain {@code domid}. */
    void hold(int domid) {
        held.merge(domid, 1, Integer::sum);
    }

    /** A server that referred to domain {@code domid} is gone. */
    void release(int domid) {
        held.computeIfPresent(domid, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** How many servers refer to domain {@code domid}. */
    public int held(int domid) {
        return held.getOrDefault(domid, 0);
    }

    /** A zombie keeps its references when it is unregistered: they belong to other domains' servers. */
    @Override
    public void unregistered(int domid) {
    }
}
