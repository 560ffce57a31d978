package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.Shadows.ServerShadow;

/**
 * The checks that diff Xen's state, read through {@link org.ioreqsim.domain.XenInspector} and the
 * event-channel tables, against what the spec allows after a step: slot transitions attributed to the
 * actor that ran, ring pointers, entries and ports, gfns, pending flags, pauses, a killed domain.
 */
abstract class StateChecks extends MonitorBase {

    StateChecks(XenOptions options, boolean direct) {
        super(options, direct);
    }

    /** A server vanished from Xen's table: the monitors treat it as destroyed. */
    abstract void onDestroyed(DomainShadow d, int id);

    // ---------------------------------------------------------------------------------------------
    // State checks between steps

    /** Adopts servers created or destroyed without an event, so that later checks see Xen's real table. */
    void syncServers(DomainShadow d) {
        for (int id = 0; id < Xen.MAX_NR_IOREQ_SERVERS; id++) {
            ServerView sv = d.x.server(id);
            ServerShadow ss = d.servers[id];
            if (sv != null && ss == null) {
                ss = new ServerShadow(id, ++d.generation, sv.emulatorDomid());
                d.servers[id] = ss;
                adoptServer(d, ss, sv);
            } else if (sv == null && ss != null) {
                onDestroyed(d, id);
            } else if (sv != null) {
                if (sv.enabled() != ss.enabled) {
                    violation("state.silent-change", "d" + d.domid + " server " + id + " became enabled="
                            + sv.enabled() + " without set_state");
                    ss.enabled = sv.enabled();
                }
                trackPages(d, ss, sv);
            }
        }
    }

    void adoptServer(DomainShadow d, ServerShadow ss, ServerView sv) {
        if (sv == null) {
            return;
        }
        ss.enabled = sv.enabled();
        trackPages(d, ss, sv);
        for (RangeType t : RangeType.values()) {
            for (long[] r : sv.ranges(t)) {
                ss.ranges[t.code()].add(r[0], r[1]);
            }
        }
        for (int v : sv.entryVcpus()) {
            ss.ports.add(sv.entryPort(v));
        }
        if (sv.bufioreqPort() > 0) {
            ss.ports.add(sv.bufioreqPort());
        }
    }

    /** Notices page changes: a new synchronous page starts fresh; a page that vanished is H11. */
    void trackPages(DomainShadow d, ServerShadow ss, ServerView sv) {
        IoreqPage page = sv.ioreqPage();
        Object id = page == null ? null : page.page();
        if (id != ss.page) {
            if (id == null && ss.page != null) {
                ss.pageDropped = true;
                finding("H11", "d" + d.domid + " server " + ss.id + " lost its synchronous page without being "
                        + "destroyed (a failed acquire_resource on a gfn-mapped server drops it)");
            }
            ss.page = id;
            if (page != null) {
                ss.hadIoreqPage = true;
                for (int v = 0; v < Shadows.TRACKED_VCPUS; v++) {
                    ss.slot[v] = page.state(v);
                    ss.vpEport[v] = page.vpEport(v);
                }
                // (a fresh acquire_resource page keeps a dropped page's gfn (H11) but is not in the physmap)
                if (ss.enabled && sv.ioreqGfn() != Xen.INVALID_GFN && d.x.isGuestRam(sv.ioreqGfn())) {
                    ss.gfnMappedWhileEnabled = true;
                    finding("H13", "d" + d.domid + " server " + ss.id + " had its pages mapped to gfn 0x"
                            + Long.toHexString(sv.ioreqGfn()) + " while enabled: the page stays guest-visible");
                }
            }
        }
        BufferedIoreqPage ring = sv.bufferedPage();
        Object bid = ring == null ? null : ring.page();
        if (bid != ss.bufPage) {
            ss.bufPage = bid;
            if (ring != null) {
                long p = ring.pointers();
                ss.rp = BufferedIoreqPage.readPointerOf(p) & 0xFFFFFFFFL;
                ss.wp = BufferedIoreqPage.writePointerOf(p) & 0xFFFFFFFFL;
            }
        }
    }

    void checkSlots(DomainShadow d) {
        for (ServerShadow ss : d.servers) {
            if (ss == null || ss.page == null) {
                continue;
            }
            ServerView sv = d.x.server(ss.id);
            IoreqPage page = sv == null ? null : sv.ioreqPage();
            if (page == null) {
                continue;
            }
            for (int v = 0; v < Shadows.TRACKED_VCPUS; v++) {
                int now = page.state(v);
                long port = page.vpEport(v);
                int was = ss.slot[v];
                if (now != was) {
                    checkTransition(d, ss, v, was, now);
                }
                ss.slot[v] = now;
                ss.vpEport[v] = port;
            }
            for (ModelEvent e : stepEvents) {
                if (e instanceof ModelEvent.IoreqSent s && s.domid() == d.domid && s.serverId() == ss.id
                        && s.vcpu() < Shadows.TRACKED_VCPUS && ss.slot[s.vcpu()] != IoreqState.READY
                        && actor.kind() == ActorKey.Kind.DOMAIN) {
                    violation("send.not-published", "d" + d.domid + " sent to server " + ss.id + " but vCPU "
                            + s.vcpu() + "'s slot is " + IoreqState.name(ss.slot[s.vcpu()]) + " after the send");
                }
            }
        }
    }

    /** A slot moved from {@code was} to {@code now} in this step: is the actor that ran allowed to? */
    void checkTransition(DomainShadow d, ServerShadow ss, int v, int was, int now) {
        String where = "d" + d.domid + " server " + ss.id + " vCPU " + v + " slot " + IoreqState.name(was) + " -> "
                + IoreqState.name(now);
        switch (actor.kind()) {
            case DOMAIN -> {
                if (actor.domid() != d.domid) {
                    violation("slot.foreign-domain", where + " in a step of domain " + actor.domid());
                } else if (was == IoreqState.NONE && now == IoreqState.READY) {
                    if (!sentThisStep(d, ss, v)) {
                        violation("slot.unexplained-ready", where + " without a send");
                    }
                } else if (now == IoreqState.NONE && stateChangedThisStep(d, ss)) {
                    if (d.vcpu(v).inflightAt(ss.id, ss.generation)) {
                        ss.zeroedUnderRequest[v] = true;
                    }
                } else {
                    violation("slot.illegal-xen-transition", where + " by the domain (spec 7.4)");
                }
            }
            case VCPU -> {
                if (actor.domid() != d.domid || actor.vcpu() != v) {
                    violation("slot.foreign-vcpu", where + " in a step of d" + actor.domid() + " vCPU " + actor.vcpu());
                } else if (was == IoreqState.IORESP_READY && now == IoreqState.NONE) {
                    if (!completedThisStep(d, ss, v)) {
                        violation("slot.unexplained-consume", where + " without a completion");
                    }
                } else {
                    violation("slot.illegal-xen-transition", where + " by the vCPU (spec 7.4)");
                }
            }
            case EMULATOR -> {
                boolean legal = (was == IoreqState.READY && (now == IoreqState.INPROCESS || now == IoreqState.IORESP_READY))
                        || (was == IoreqState.INPROCESS && now == IoreqState.IORESP_READY);
                if (!legal) {
                    ss.emulatorMisbehaved[v] = true;
                    finding("EMU", where + " by its emulator");
                }
            }
            default -> violation("slot.changed-by-" + actor.kind().name().toLowerCase(java.util.Locale.ROOT), where);
        }
    }

    void checkRings(DomainShadow d) {
        for (ServerShadow ss : d.servers) {
            if (ss == null || ss.bufPage == null) {
                continue;
            }
            ServerView sv = d.x.server(ss.id);
            BufferedIoreqPage ring = sv == null ? null : sv.bufferedPage();
            if (ring == null) {
                continue;
            }
            long p = ring.pointers();
            long rp = BufferedIoreqPage.readPointerOf(p) & 0xFFFFFFFFL;
            long wp = BufferedIoreqPage.writePointerOf(p) & 0xFFFFFFFFL;
            long used = (wp - rp) & 0xFFFFFFFFL;
            long usedBefore = (ss.wp - ss.rp) & 0xFFFFFFFFL;
            String where = "d" + d.domid + " server " + ss.id + " ring rp=" + rp + " wp=" + wp;
            if (used > Xen.IOREQ_BUFFER_SLOT_NUM) {
                violation("ring.overflow", where + ": " + used + " slots in use (at most 511)");
            }
            if (ss.pageShared) {
                // H14: another server holds the same gfn, so its writes and its emulator's reads move this ring too
                ss.rp = rp;
                ss.wp = wp;
                continue;
            }
            if (actor.kind() == ActorKey.Kind.DOMAIN && actor.domid() == d.domid && !stateChangedThisStep(d, ss)
                    && !faultedThisStep()) {
                if (used != usedBefore + ss.bufferedThisStep) {
                    violation("ring.pointer-arithmetic", where + ": " + usedBefore + " slots used before, "
                            + ss.bufferedThisStep + " published, " + used + " now");
                }
                if (ss.bufferedThisStep > 0 && sv.mode() == BufioreqMode.ATOMIC && rp >= Xen.IOREQ_BUFFER_SLOT_NUM) {
                    violation("ring.not-canonical", where + ": ATOMIC mode leaves rp >= 511 after a send");
                }
            } else if (actor.kind() == ActorKey.Kind.EMULATOR && (used > usedBefore || wp != ss.wp)) {
                finding("EMU", where + ": its emulator moved the write pointer or read past it");
            } else if (actor.kind() != ActorKey.Kind.EMULATOR && actor.kind() != ActorKey.Kind.DOMAIN
                    && (rp != ss.rp || wp != ss.wp)) {
                violation("ring.changed-by-" + actor.kind().name().toLowerCase(java.util.Locale.ROOT), where);
            }
            ss.rp = rp;
            ss.wp = wp;
        }
    }

    /** Entries and ports of every live server against the domain's event-channel table. */
    void checkEntriesAndPorts(DomainShadow d) {
        EventChannelTable t = d.table;
        if (t == null) {
            return;
        }
        Map<Integer, String> expected = new TreeMap<>();
        List<Integer> live = d.x.vcpuIds();
        for (ServerShadow ss : d.servers) {
            if (ss == null) {
                continue;
            }
            ServerView sv = d.x.server(ss.id);
            if (sv == null) {
                continue;
            }
            if (actor.kind() == ActorKey.Kind.DOMAIN && !sv.isDefault()) {
                for (RangeType rt : RangeType.values()) {
                    List<long[]> model = sv.ranges(rt);
                    if (!ss.ranges[rt.code()].sameAs(model)) {
                        violation("ranges.mismatch", "d" + d.domid + " server " + ss.id + " " + rt + " ranges are "
                                + describeRanges(model) + ", the maps and unmaps Xen accepted give "
                                + ss.ranges[rt.code()]);
                        ss.ranges[rt.code()] = new IntervalSet();
                        for (long[] r : model) {
                            ss.ranges[rt.code()].add(r[0], r[1]);
                        }
                    }
                }
            }
            List<Integer> entries = sv.entryVcpus();
            ss.ports.clear();
            for (int v : entries) {
                int port = sv.entryPort(v);
                ss.ports.add(port);
                checkXenPort(d, t, sv, port, v, expected, "vCPU " + v);
                if (!live.contains(v) && d.x.state() == DomainState.RUNNING) {
                    if (!ss.entryVcpus.contains(v)) {
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
                } else if (live.contains(v) && !sv.entryLinked(v)) {
                    violation("entries.unlinked", "d" + d.domid + " server " + ss.id + "'s entry for vCPU " + v
                            + " is not the one the vCPU completes through");
                }
            }
            if (sv.mode() != BufioreqMode.OFF && entries.contains(0)) {
                ss.ports.add(sv.bufioreqPort());
                checkXenPort(d, t, sv, sv.bufioreqPort(), 0, expected, "bufioreq");
            }
            ss.entryVcpus.clear();
            ss.entryVcpus.addAll(entries);
            if (ss.createdStep == step) {
                checkCreatePorts(d, t, ss, sv, entries);
            }
            for (int v : live) {
                if (!entries.contains(v)) {
                    violation("entries.missing", "d" + d.domid + " server " + ss.id + " has no entry for live vCPU " + v);
                }
            }
        }
        for (int v : live) {
            for (int s : d.x.vcpuEntryServers(v)) {
                ServerView sv = d.x.server(s);
                if (sv == null || sv.entryPort(v) < 0) {
                    violation("entries.dangling", "d" + d.domid + " vCPU " + v + " still holds an entry of server " + s
                            + " which no longer has one for it (its completion would read a dead server)");
                }
            }
        }
        for (EventChannel c : t.snapshot()) {
            if (c.isXenConsumer() && (c.state() == EventChannel.State.UNBOUND
                    || c.state() == EventChannel.State.INTERDOMAIN) && !expected.containsKey(c.port())) {
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

    /**
     * A server just created allocated its ports lowest-free first, for each vCPU in id order, vCPU 0's
     * bufioreq port right after its ioreq port (spec 10.2 step 7): the sequence increases and no free
     * port is left below its last one.
     */
    void checkCreatePorts(DomainShadow d, EventChannelTable t, ServerShadow ss, ServerView sv,
                                  List<Integer> entries) {
        List<Integer> sequence = new ArrayList<>();
        for (int v : new TreeSet<>(entries)) {
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
        for (ModelEvent e : stepEvents) {
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

    void checkXenPort(DomainShadow d, EventChannelTable t, ServerView sv, int port, int vcpu,
                              Map<Integer, String> expected, String what) {
        String where = "d" + d.domid + " server " + sv.id() + " " + what + " port " + port;
        String prev = expected.put(port, "server " + sv.id() + " " + what);
        if (prev != null) {
            violation("ports.double-allocation", where + " is also " + prev);
        }
        EventChannel c = t.port(port);
        if (c == null || (c.state() != EventChannel.State.UNBOUND && c.state() != EventChannel.State.INTERDOMAIN)) {
            violation("ports.entry-port-free", where + " is " + (c == null ? "unallocated" : c.state()));
            return;
        }
        if (!c.isXenConsumer() || c.notifyVcpu() != vcpu) {
            violation("ports.wrong-binding", where + " is not Xen's port for vCPU " + vcpu);
        }
        if (c.remoteDomid() != sv.emulatorDomid()) {
            violation("ports.wrong-remote", where + " waits for/binds domain " + c.remoteDomid() + ", emulator is "
                    + sv.emulatorDomid());
        }
    }

    void checkGfns(DomainShadow d) {
        long base = d.x.gfnPoolBase();
        long mask = d.x.gfnPoolMask();
        Map<Long, ServerShadow> held = new TreeMap<>();
        Set<Long> shared = new TreeSet<>();
        for (ServerShadow ss : d.servers) {
            ServerView sv = ss == null ? null : d.x.server(ss.id);
            if (sv == null || sv.isDefault()) {
                continue;
            }
            for (long gfn : new long[] {sv.ioreqGfn(), sv.bufioreqGfn()}) {
                if (gfn == Xen.INVALID_GFN) {
                    continue;
                }
                ServerShadow other = held.put(gfn, ss);
                if (other != null) {
                    shared.add(gfn);
                    other.pageShared = true;
                    ss.pageShared = true;
                    if (d.poolReset) {
                        finding("H14", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " held by servers " + other.id
                                + " and " + ss.id + " after NR_IOREQ_SERVER_PAGES was set again");
                    } else {
                        violation("gfn.double-allocation", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn)
                                + " is held by servers " + other.id + " and " + ss.id);
                    }
                }
            }
        }
        for (ServerShadow ss : d.servers) {
            ServerView sv = ss == null ? null : d.x.server(ss.id);
            if (sv == null || sv.isDefault()) {
                continue;
            }
            long ig = sv.ioreqGfn();
            long bg = sv.bufioreqGfn();
            if (ss.ioreqGfn == Xen.INVALID_GFN && ss.bufGfn == Xen.INVALID_GFN && ig != Xen.INVALID_GFN
                    && bg != Xen.INVALID_GFN && ig - base >= 0 && ig - base < 64 && bg - base >= 0 && bg - base < 64
                    && Long.compareUnsigned(ig, bg) > 0 && !d.poolReset) {
                violation("gfn.mapping-order", "d" + d.domid + " server " + ss.id + " mapped its buffered page at gfn 0x"
                        + Long.toHexString(bg) + " before its ioreq page at 0x" + Long.toHexString(ig)
                        + " (hvm_ioreq_server_map_pages maps the ioreq page first, lowest free gfn)");
            }
            ss.ioreqGfn = ig;
            ss.bufGfn = bg;
            for (long gfn : new long[] {ig, bg}) {
                if (gfn == Xen.INVALID_GFN || shared.contains(gfn)) {
                    continue;
                }
                long bit = gfn - base;
                boolean legacy = options.useLegacyGfns()
                        && (gfn == d.x.param(HvmParam.IOREQ_PFN) || gfn == d.x.param(HvmParam.BUFIOREQ_PFN));
                if (!legacy && bit >= 0 && bit < 64 && (mask & (1L << bit)) != 0) {
                    if (d.poolReset) {
                        finding("H14", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server " + ss.id
                                + " marked free again by a second NR_IOREQ_SERVER_PAGES");
                    } else {
                        violation("gfn.held-but-free", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server "
                                + ss.id + " is free in the pool");
                    }
                }
                boolean ram = d.x.isGuestRam(gfn);
                if (sv.enabled() && ram && !ss.gfnMappedWhileEnabled && sv.ioreqPage() != null && !d.faulted
                        && !ss.pageShared) {
                    violation("gfn.visible-while-enabled", "d" + d.domid + " server " + ss.id + "'s gfn 0x"
                            + Long.toHexString(gfn) + " is guest RAM while the server is enabled (enable removes it)");
                }
                // (a server that shared a gfn with another (H14) sees the other's enable and disable too)
                if (!sv.enabled() && !ram && !ss.pageDropped && !d.faulted && !ss.pageShared) {
                    violation("gfn.missing-while-disabled", "d" + d.domid + " server " + ss.id + "'s gfn 0x"
                            + Long.toHexString(gfn) + " is not guest RAM while the server is disabled");
                }
            }
        }
        for (Map.Entry<Long, ServerShadow> e : d.heldGfns.entrySet()) {
            long gfn = e.getKey();
            ServerShadow was = e.getValue();
            if (held.containsKey(gfn)) {
                continue;
            }
            long bit = gfn - base;
            boolean legacy = options.useLegacyGfns()
                    && (gfn == d.x.param(HvmParam.IOREQ_PFN) || gfn == d.x.param(HvmParam.BUFIOREQ_PFN));
            boolean free = legacy || !(bit >= 0 && bit < 64 && (mask & (1L << bit)) == 0);
            boolean ram = d.x.isGuestRam(gfn) || d.killed;
            if ((!free || !ram) && was.pageDropped) {
                finding("H11", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server " + was.id
                        + " leaked: its page was dropped, so a later mapping took a new gfn");
                continue;
            }
            if (!free) {
                violation("gfn.not-freed", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server "
                        + was.id + " was given up but not returned to the pool");
            }
            if (!ram) {
                violation("gfn.not-returned", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server "
                        + was.id + " was given up but is not back in the guest physmap");
            }
        }
        d.heldGfns.clear();
        d.heldGfns.putAll(held);
    }

    /** A server that went: its ports must be free (checked after the step by the port scan). */
    void releaseChecks(DomainShadow d, ServerShadow ss) {
        if (!direct || d.table == null) {
            return;
        }
        for (int port : ss.ports) {
            EventChannel c = d.table.port(port);
            if (c != null && c.isXenConsumer() && c.state() != EventChannel.State.FREE) {
                violation("ports.not-freed", "d" + d.domid + " port " + port + " of destroyed server " + ss.id
                        + " is still " + c.state());
            }
        }
    }

    /** Pending flags must match the requests the monitor knows are outstanding. */
    void checkPending(DomainShadow d) {
        for (ServerShadow ss : d.servers) {
            if (ss == null) {
                continue;
            }
            ServerView sv = d.x.server(ss.id);
            if (sv == null) {
                continue;
            }
            for (int v : sv.entryVcpus()) {
                boolean pending = sv.entryPending(v);
                boolean known = d.vcpus.containsKey(v) && d.vcpus.get(v).inflightAt(ss.id, ss.generation);
                if (pending != known && d.x.hasVcpu(v)) {
                    violation("pending.mismatch", "d" + d.domid + " server " + ss.id + " vCPU " + v + " entry pending="
                            + pending + " but the vCPU " + (known ? "has" : "has no") + " request outstanding there");
                }
            }
        }
    }

    /** While every vCPU has acknowledged a pause, no vCPU may finish or start guest work. */
    void checkPausedVcpu() {
        if (actor.kind() != ActorKey.Kind.VCPU || !pausedBefore) {
            return;
        }
        for (ModelEvent e : stepEvents) {
            if (e instanceof ModelEvent.OperationEnded o && o.vcpu() == actor.vcpu()
                    && (o.kind().equals("DONE") || o.kind().equals("GP_FAULT"))) {
                violation("pause.vcpu-ran", "d" + actor.domid() + " vCPU " + actor.vcpu() + " finished an operation while "
                        + "its domain was paused");
            }
        }
    }

    /** A killed domain: every port closed, no peer still bound to it, no server left. */
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
            EventChannelTable t = host == null ? null : host.eventChannels(dom);
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
