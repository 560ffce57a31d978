package org.ioreqsim.sim.stress.monitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;

/**
 * Server entries and their event-channel ports against the domains' tables (spec 4: ports and their
 * states; 10.2 step 7: a new server allocates lowest-free, vCPU by vCPU; 12: a vCPU added or removed
 * adds or drops its entry on every server, domain_kill closes every port): one entry per live vCPU,
 * each with its own Xen-attached port bound for the server's emulator domain, no port left over —
 * except what a failed vCPU creation leaks (H2).
 */
final class PortChecker extends Checker {
    /** Domains whose emulators run there (dom0 and stub domains): their ports bind to the guests'. */
    private final Set<Integer> emulatorDomids = new TreeSet<>();

    PortChecker(Context ctx) {
        super(ctx);
        emulatorDomids.add(Xen.DOM0);
    }

    /** The ports the live entries of the domain being checked claim (reused from check to check). */
    private final PortClaims claims = new PortClaims();

    /** Per target domain: Xen-attached port -> the emulator end it was last seen bound to (domid, port). */
    private final Map<Integer, Map<Integer, Long>> boundEnds = new HashMap<>();

    @Override
    void register(EventRouter router) {
        router.on(ModelEvent.PortAllocated.class, this::onPortAllocated);
    }

    /**
     * Spec 4.1 and 4.4: a port Xen just allocated starts clean — not pending, not masked, nothing
     * notified yet (evtchn_free cleared what its last user left).
     */
    private void onPortAllocated(DomainShadow d, ModelEvent.PortAllocated e) {
        if (!direct || d.table == null) {
            return;
        }
        EventChannel c = d.table.port(e.port());
        if (c != null && (c.isPending() || c.isMasked() || c.notified() != 0)) {
            violation("ports.fresh-not-clean", "d" + d.domid + " port " + e.port() + " of server " + e.serverId()
                    + " starts " + flags(c) + " (a freshly allocated port has pending and masked clear)");
        }
    }

    /**
     * Spec 4.2 and 4.4: an emulator end just bound to a Xen-attached port was a fresh port (pending and
     * masked clear), so the pending bit the bind sets raised exactly one upcall; a port reused with a stale
     * pending bit coalesces it, a stale mask holds it back — and the emulator never learns of the
     * requests it missed while unbound (H18). Reads the emulator end the first time a binding is seen.
     */
    void checkFreshBindings(DomainShadow d) {
        if (!direct || d.table == null || ctx.host == null) {
            return;
        }
        Map<Integer, Long> known = boundEnds.computeIfAbsent(d.domid, k -> new HashMap<>());
        Set<Integer> seen = new TreeSet<>();
        for (EventChannel c : d.table.snapshot()) {
            if (!c.isXenConsumer() || c.state() != EventChannel.State.INTERDOMAIN || c.remotePort() < 0) {
                continue;
            }
            seen.add(c.port());
            long end = ((long) c.remoteDomid() << 32) | c.remotePort();
            Long was = known.put(c.port(), end);
            if (was != null && was == end) {
                continue;
            }
            EventChannelTable et = ctx.host.eventChannels(c.remoteDomid());
            EventChannel l = et == null ? null : et.port(c.remotePort());
            if (l != null && l.upcalls() == 0) {
                violation("ports.fresh-not-clean", "d" + c.remoteDomid() + " port " + l.port() + ", just bound to d"
                        + d.domid + " port " + c.port() + ", got no upcall from the bind (" + flags(l) + ", "
                        + l.coalesced() + " coalesced): it was not clean when bound");
            }
        }
        known.keySet().retainAll(seen);
    }

    private static String flags(EventChannel c) {
        return (c.isPending() ? "pending" : "not pending") + (c.isMasked() ? ", masked" : ", unmasked")
                + ", " + c.notified() + " notified";
    }

    void emulatorDomain(int domid) {
        emulatorDomids.add(domid);
    }

    /** Entries and ports of every live server against the domain's event-channel table. */
    void checkEntriesAndPorts(DomainShadow d) {
        EventChannelTable t = d.table;
        if (t == null) {
            return;
        }
        claims.clear();
        List<Integer> live = d.x.vcpuIds();
        for (ServerShadow ss : d.servers) {
            ServerView sv = ss == null ? null : d.x.server(ss.id);
            if (sv == null) {
                continue;
            }
            int[] entries = sv.entryVcpuIds();
            ss.ports.clear();
            for (int v : entries) {
                int port = sv.entryPort(v);
                ss.addPort(port);
                checkXenPort(d, t, sv, port, v, false);
                boolean isLive = d.x.hasVcpu(v);
                if (!isLive && d.x.state() == DomainState.RUNNING) {
                    deadVcpuEntry(d, ss, v, port);
                } else if (isLive && !sv.entryLinked(v)) {
                    violation("entries.unlinked", "d" + d.domid + " server " + ss.id + "'s entry for vCPU " + v
                            + " is not the one the vCPU completes through");
                }
            }
            if (sv.mode() != BufioreqMode.OFF && entries.length > 0 && entries[0] == 0) {
                ss.addPort(sv.bufioreqPort());
                checkXenPort(d, t, sv, sv.bufioreqPort(), 0, true);
            }
            ss.entryVcpus.clear();
            for (int v : entries) {
                ss.entryVcpus.set(v);
            }
            if (ss.createdStep == ctx.step()) {
                checkCreatePorts(d, t, ss, sv, entries);
            }
            for (int i = 0; i < live.size(); i++) {
                int v = live.get(i);
                if (!sv.hasEntry(v)) {
                    violation("entries.missing", "d" + d.domid + " server " + ss.id + " has no entry for live vCPU " + v);
                }
            }
        }
        for (int i = 0; i < live.size(); i++) {
            int v = live.get(i);
            for (int s = Xen.MAX_NR_IOREQ_SERVERS - 1; s >= 0; s--) {
                if (!d.x.vcpuHasEntry(v, s)) {
                    continue;
                }
                ServerView sv = d.x.server(s);
                if (sv == null || sv.entryPort(v) < 0) {
                    violation("entries.dangling", "d" + d.domid + " vCPU " + v + " still holds an entry of server " + s
                            + " which no longer has one for it (its completion would read a dead server)");
                }
            }
        }
        for (EventChannel c : t.snapshot()) {
            if (c.isXenConsumer() && (c.state() == EventChannel.State.UNBOUND
                    || c.state() == EventChannel.State.INTERDOMAIN) && !claims.claimed(c.port())) {
                if (d.h2Leak || (!d.failedAdds.isEmpty() && !options.fixAddVcpuCleanup())) {
                    // (also in a crashed domain, whose entries the H2 entry check leaves alone)
                    d.h2Leak = true;
                    finding("H2", "d" + d.domid + " port " + c.port() + " leaked after a failed vCPU creation");
                } else {
                    violation("ports.leak", "d" + d.domid + " Xen-attached port " + c.port() + " (notify vCPU "
                            + c.notifyVcpu() + ") belongs to no server entry");
                }
            }
        }
    }

    /** An entry for a vCPU that does not exist: left by a failed creation (H2), or a violation. */
    private void deadVcpuEntry(DomainShadow d, ServerShadow ss, int v, int port) {
        if (!ss.entryVcpus.get(v)) {
            d.failedAdds.add(v);
        }
        if (d.failedAdds.contains(v)) {
            if (options.fixAddVcpuCleanup()) {
                violation("H2", "d" + d.domid + " server " + ss.id + " kept an entry for vCPU " + v
                        + " whose creation failed, although fixAddVcpuCleanup is on (215f2576b0)");
            } else {
                d.h2Leak = true;
                finding("H2", "d" + d.domid + " server " + ss.id + " kept an entry (port " + port
                        + ") for vCPU " + v + " whose creation failed");
            }
        } else {
            violation("entries.dead-vcpu", "d" + d.domid + " server " + ss.id + " holds an entry for vCPU "
                    + v + " which does not exist");
        }
    }

    /**
     * A server just created allocated its ports lowest-free first, for each vCPU in id order, vCPU 0's
     * bufioreq port right after its ioreq port (spec 10.2 step 7): the sequence increases and no free
     * port is left below its last one.
     */
    private void checkCreatePorts(DomainShadow d, EventChannelTable t, ServerShadow ss, ServerView sv,
                                  int[] entries) {
        List<Integer> sequence = new ArrayList<>();
        for (int v : entries) {
            sequence.add(sv.entryPort(v));
            if (v == 0 && sv.mode() != BufioreqMode.OFF) {
                sequence.add(sv.bufioreqPort());
            }
        }
        for (int i = 1; i < sequence.size(); i++) {
            if (sequence.get(i) <= sequence.get(i - 1)) {
                violation("ports.allocation-order", "d" + d.domid + " server " + ss.id + " got ports " + sequence
                        + " (allocation order: vCPU 0, its bufioreq port, vCPU 1, ...; lowest free first)");
                return;
            }
        }
        int last = sequence.isEmpty() ? 0 : sequence.get(sequence.size() - 1);
        // ports freed later in the same step (a destroy queued behind this create under one pause) were
        // still in use when this server allocated
        Set<Integer> freedAfter = new TreeSet<>();
        boolean created = false;
        for (ModelEvent e : ctx.stepEvents) {
            if (e instanceof ModelEvent.ServerCreated c && c.domid() == d.domid && c.serverId() == ss.id) {
                created = true;
            } else if (created && e instanceof ModelEvent.PortFreed f && f.domid() == d.domid) {
                freedAfter.add(f.port());
            }
        }
        for (int q = 1; q < last; q++) {
            EventChannel c = t.port(q);
            if ((c == null || c.state() == EventChannel.State.FREE) && !freedAfter.contains(q)) {
                violation("ports.not-lowest", "d" + d.domid + " server " + ss.id + " got ports " + sequence
                        + " while port " + q + " was free (get_free_port takes the lowest)");
                return;
            }
        }
    }

    private void checkXenPort(DomainShadow d, EventChannelTable t, ServerView sv, int port, int vcpu,
                              boolean bufioreq) {
        int owner = PortClaims.owner(sv.id(), vcpu, bufioreq);
        int prev = claims.claim(port, owner);
        if (prev != PortClaims.NONE) {
            violation("ports.double-allocation", where(d, port, owner) + " is also " + PortClaims.describe(prev));
        }
        EventChannel c = t.port(port);
        if (c == null || (c.state() != EventChannel.State.UNBOUND && c.state() != EventChannel.State.INTERDOMAIN)) {
            violation("ports.entry-port-free", where(d, port, owner) + " is " + (c == null ? "unallocated" : c.state()));
            return;
        }
        if (!c.isXenConsumer() || c.notifyVcpu() != vcpu) {
            violation("ports.wrong-binding", where(d, port, owner) + " is not Xen's port for vCPU " + vcpu);
        }
        if (c.remoteDomid() != sv.emulatorDomid()) {
            violation("ports.wrong-remote", where(d, port, owner) + " waits for/binds domain " + c.remoteDomid()
                    + ", emulator is " + sv.emulatorDomid());
        }
    }

    /** Where a port check failed, built only for a report (the check runs after most steps). */
    private static String where(DomainShadow d, int port, int owner) {
        return "d" + d.domid + " " + PortClaims.describe(owner) + " port " + port;
    }

    /** Spec 10.9: a server that went has freed its ports. */
    void released(DomainShadow d, ServerShadow ss) {
        if (!direct || d.table == null) {
            return;
        }
        for (int port = ss.ports.nextSetBit(0); port >= 0; port = ss.ports.nextSetBit(port + 1)) {
            EventChannel c = d.table.port(port);
            if (c != null && c.isXenConsumer() && c.state() != EventChannel.State.FREE) {
                violation("ports.not-freed", "d" + d.domid + " port " + port + " of destroyed server " + ss.id
                        + " is still " + c.state());
            }
        }
    }

    /** Spec 12, domain_kill: every port closed, no peer still bound to it, no server left. */
    void checkKilled(DomainShadow d) {
        if (d.killChecked) {
            return;
        }
        d.killChecked = true;
        if (d.table != null) {
            for (EventChannel c : d.table.snapshot()) {
                if (c.state() == EventChannel.State.UNBOUND || c.state() == EventChannel.State.INTERDOMAIN) {
                    violation("kill.port-open", "d" + d.domid + " port " + c.port() + " still " + c.state()
                            + " after domain_kill");
                }
            }
        }
        for (int id = 0; id < Xen.MAX_NR_IOREQ_SERVERS; id++) {
            if (d.x.server(id) != null) {
                violation("kill.server-left", "d" + d.domid + " server " + id + " survived domain_kill");
            }
        }
        for (int dom : emulatorDomids) {
            EventChannelTable t = ctx.host == null ? null : ctx.host.eventChannels(dom);
            if (t == null) {
                continue;
            }
            for (EventChannel c : t.snapshot()) {
                if (c.state() == EventChannel.State.INTERDOMAIN && c.remoteDomid() == d.domid) {
                    violation("kill.peer-bound", "d" + dom + " port " + c.port() + " is still bound to dead d" + d.domid);
                }
            }
        }
    }
}
