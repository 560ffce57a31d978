package org.ioreqsim.sim.stress;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.sim.stress.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.Shadows.InFlight;
import org.ioreqsim.sim.stress.Shadows.ServerShadow;
import org.ioreqsim.sim.stress.Shadows.VcpuShadow;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.VcpuRequest;

/**
 * The safety and liveness monitors of a stress schedule. They read three sources: the model's events
 * ({@link ModelTracer}, reported synchronously inside the step that causes them), the lanes' reports
 * (operations issued and answered, emulators started and gone, guest outcomes), and — under controlled
 * execution — Xen's state itself, read through {@link XenInspector} and the event-channel tables after
 * every step. Each rule is the spec's, checked against Xen's state rather than against the model's own
 * bookkeeping: routing is recomputed by {@link RoutingOracle}, slot transitions are diffed and
 * attributed to the actor that ran, ports and gfns are recounted from the tables.
 *
 * <p>Known hazards of Xen (spec section 16) are {@link Finding findings}; with the Xen option that fixes
 * one turned on, reaching it is a {@link Violation}. Anything else that breaks a rule is a violation.
 *
 * <p>Not thread-safe by design for controlled runs; in free runs the model reports events from many
 * threads, so every entry point is synchronised and state is read only at the end.
 */
public final class Monitor extends LivenessChecks implements ModelTracer {

    /**
     * @param options the Xen options of the run (which hazards are fixed)
     * @param direct  read Xen's state between steps (controlled execution)
     */
    public Monitor(XenOptions options, boolean direct) {
        super(options, direct);
    }

    /** The host whose domains the monitor reads. */
    public synchronized void attach(Host host) {
        this.host = host;
    }

    /** A domain whose emulators run in {@code domid} (a stub domain). */
    public synchronized void emulatorDomain(int domid) {
        emulatorDomids.add(domid);
    }

    // ---------------------------------------------------------------------------------------------
    // Results

    public synchronized List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** The first occurrence of every finding, in order of first occurrence. */
    public synchronized Map<String, Finding> findings() {
        return new LinkedHashMap<>(findings);
    }

    public synchronized Map<String, Integer> findingCounts() {
        return new TreeMap<>(findingCounts);
    }

    public synchronized Set<RaceScenario> coverage() {
        return EnumSet.copyOf(coverage.isEmpty() ? EnumSet.noneOf(RaceScenario.class) : coverage);
    }

    public synchronized boolean failed() {
        return !violations.isEmpty();
    }

    /** Injected faults so far: lost, duplicated, delayed. */
    public synchronized int[] faults() {
        return new int[] {lostDeliveries, duplicatedDeliveries, delayedDeliveries};
    }

    // ---------------------------------------------------------------------------------------------
    // Driver hooks

    /** The driver is about to run {@code key}, whose next message is {@code msg} (or null). */
    public synchronized void beforeStep(int stepIndex, String key, Object msg) {
        step = stepIndex;
        actor = keys.computeIfAbsent(key, ActorKey::parse);
        message = msg;
        stepEvents.clear();
        DomainShadow d = actor.domid() >= 0 ? domains.get(actor.domid()) : null;
        pausedBefore = d != null && d.x != null && d.x.pauseInEffect();
        if (d != null && d.x != null && msg instanceof org.ioreqsim.domain.Domain.SetParam p
                && p.index() == HvmParam.NR_IOREQ_SERVER_PAGES && !p.guest() && d.x.param(p.index()) != 0
                && d.x.param(p.index()) == p.value()) {
            d.poolReset = true;
        }
        if (direct) {
            for (DomainShadow ds : domains.values()) {
                for (ServerShadow s : ds.servers) {
                    if (s != null) {
                        s.stateChangedThisStep = false;
                        s.bufferedThisStep = 0;
                    }
                }
            }
        }
    }

    /**
     * The step ran: diff Xen's state against what the rules allow. Only what the actor that ran can
     * have changed is read: a domain's or vCPU's or emulator's step concerns its (target) domain, the
     * toolstack's and answerers' steps reach Xen only through messages, any other actor gets everything
     * checked.
     */
    public synchronized void afterStep() {
        if (!direct) {
            return;
        }
        ActorKey.Kind k = actor.kind();
        if (k == ActorKey.Kind.LANE || k == ActorKey.Kind.HYPERVISOR) {
            return;
        }
        boolean all = k == ActorKey.Kind.OTHER;
        for (DomainShadow d : domains.values()) {
            if (d.x == null || (!all && d.domid != actor.domid())) {
                continue;
            }
            syncServers(d);
            if (d.killed) {
                checkKilled(d);
                continue;
            }
            checkSlots(d);
            checkRings(d);
            if (k != ActorKey.Kind.VCPU) {
                checkEntriesAndPorts(d);
            }
            if (k == ActorKey.Kind.DOMAIN || all) {
                checkGfns(d);
            }
            if (k != ActorKey.Kind.EMULATOR) {
                checkPending(d);
            }
        }
        checkPausedVcpu();
        if (k == ActorKey.Kind.DOMAIN) {
            checkBroadcast();
        }
    }

    /**
     * A broadcast (spec 9) goes to every enabled server, id 7 down to 0, and to no disabled one: after a
     * domain step that broadcast, the servers it sent to (or tried to) are exactly the enabled ones
     * (less the bufioreq-OFF ones for TIMEOFFSET with skipNonBufferedInBroadcast).
     */
    private void checkBroadcast() {
        boolean invalidate = message instanceof VcpuRequest.SendInvalidate;
        boolean timeoffset = message instanceof VcpuRequest.SendTimeoffset;
        DomainShadow d = domains.get(actor.domid());
        if ((!invalidate && !timeoffset) || d == null || d.x == null || d.killed
                || d.x.state() != DomainState.RUNNING) {
            return;
        }
        Set<Integer> reached = new TreeSet<>();
        for (ModelEvent e : stepEvents) {
            if (invalidate && e instanceof ModelEvent.IoreqSent s && s.request().type() == IoreqType.INVALIDATE) {
                reached.add(s.serverId());
            } else if (invalidate && e instanceof ModelEvent.IoreqNotSent n) {
                reached.add(n.serverId());
            } else if (timeoffset && e instanceof ModelEvent.BufferedSent b) {
                reached.add(b.serverId());
            } else if (timeoffset && e instanceof ModelEvent.BufferedNotSent b) {
                reached.add(b.serverId());
            }
        }
        Set<Integer> expected = new TreeSet<>();
        for (int id = 0; id < Xen.MAX_NR_IOREQ_SERVERS; id++) {
            ServerView sv = d.x.server(id);
            if (sv != null && sv.enabled()
                    && !(timeoffset && options.skipNonBufferedInBroadcast() && sv.mode() == BufioreqMode.OFF)) {
                expected.add(id);
            }
        }
        if (!reached.equals(expected)) {
            violation("broadcast.servers", "d" + d.domid + " " + (invalidate ? "INVALIDATE" : "TIMEOFFSET")
                    + " broadcast reached servers " + reached + ", the enabled servers are " + expected + " (spec 9)");
        }
    }

    /** Called by the fault hook. */
    public synchronized void faultInjected(String kind) {
        switch (kind) {
            case "lost" -> lostDeliveries++;
            case "dup" -> duplicatedDeliveries++;
            default -> delayedDeliveries++;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Model events

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public synchronized void event(ModelEvent e) {
        activity++;
        if (!direct) {
            stepEvents.clear();
        }
        stepEvents.add(e);
        DomainShadow d = domain(e.domid());
        checkOwner(d, e);
        if (e instanceof ModelEvent.IoreqSent s) {
            onSent(d, s);
        } else if (e instanceof ModelEvent.IoreqNotSent n) {
            onNotSent(d, n);
        } else if (e instanceof ModelEvent.IoreqHandled h) {
            onHandled(d, h);
        } else if (e instanceof ModelEvent.IoreqCompleted c) {
            onCompleted(d, c);
        } else if (e instanceof ModelEvent.ServerCreated c) {
            onCreated(d, c);
        } else if (e instanceof ModelEvent.ServerDestroyed x) {
            onDestroyed(d, x.serverId());
        } else if (e instanceof ModelEvent.ServerStateChanged c) {
            onStateChanged(d, c);
        } else if (e instanceof ModelEvent.RangeChanged r) {
            onRangeChanged(d, r);
        } else if (e instanceof ModelEvent.BufferedSent b) {
            onBufferedSent(d, b);
        } else if (e instanceof ModelEvent.BufferedNotSent b) {
            onBufferedNotSent(d, b);
        } else if (e instanceof ModelEvent.DomainCrashed c) {
            onCrashed(d, c);
        } else if (e instanceof ModelEvent.DomainKilled) {
            onKilled(d);
        } else if (e instanceof ModelEvent.HypervisorFault f) {
            onHypervisorFault(d, f);
        }
    }

    private void onSent(DomainShadow d, ModelEvent.IoreqSent e) {
        VcpuShadow v = d.vcpu(e.vcpu());
        boolean broadcast = e.request().type() == IoreqType.INVALIDATE;
        if (!direct) {
            v.inflight.add(new InFlight(e.serverId(), 0, e.request(), e.request(), step));
            return;
        }
        ServerView sv = d.x.server(e.serverId());
        ServerShadow ss = d.servers[e.serverId()];
        if (sv == null || ss == null) {
            violation("routing.no-server", "d" + d.domid + " vCPU " + e.vcpu() + " sent to empty slot " + e.serverId());
            return;
        }
        if (!sv.enabled()) {
            violation("routing.disabled-server", "d" + d.domid + " vCPU " + e.vcpu() + " sent " + describe(e.request())
                    + " to disabled server " + e.serverId());
        }
        for (InFlight f : v.inflight) {
            if (!broadcast || f.request().type() != IoreqType.INVALIDATE || f.step() != step) {
                violation("ioreq.second-request", "d" + d.domid + " vCPU " + e.vcpu() + " sent to server "
                        + e.serverId() + " while its request to server " + f.server() + " (step " + f.step()
                        + ") is outstanding");
                break;
            }
        }
        int vi = e.vcpu();
        if (ss.page != null && vi < Shadows.TRACKED_VCPUS) {
            if (ss.slot[vi] != IoreqState.NONE) {
                violation("send.slot-not-none", "d" + d.domid + " server " + e.serverId() + " slot of vCPU " + vi
                        + " was " + IoreqState.name(ss.slot[vi]) + " yet Xen sent (hvm_send_ioreq refuses)");
            } else if (ss.vpEport[vi] != sv.entryPort(vi)) {
                violation("send.bad-eport", "d" + d.domid + " server " + e.serverId() + " slot of vCPU " + vi
                        + " had vp_eport " + ss.vpEport[vi] + " != port " + sv.entryPort(vi) + " yet Xen sent");
            }
        }
        if (e.request().vpEport() != sv.entryPort(vi)) {
            violation("send.wrong-port", "d" + d.domid + " sent with vp_eport " + e.request().vpEport()
                    + ", entry port is " + sv.entryPort(vi));
        }
        Ioreq original = d.x.latched(vi);
        if (!broadcast && original != null) {
            checkRouting(d, vi, original, e.serverId(), e.request());
        }
        v.inflight.add(new InFlight(e.serverId(), ss.generation, e.request(), original == null ? e.request() : original,
                step));
        v.orphaned = false;
        if (!broadcast) {
            v.staleLatch = false;
        }
        v.lostServer = false;
        ss.answered[Math.min(vi, Shadows.TRACKED_VCPUS - 1)] = null;
    }

    /** Compares the model's choice for {@code original} with the spec's, and the PCI rewrite of {@code sent} (if any). */
    private void checkRouting(DomainShadow d, int vcpu, Ioreq original, int chosen, Ioreq sent) {
        long cf8 = d.x.pciCf8();
        RoutingOracle.Table table = table(d);
        RoutingOracle.Choice c = RoutingOracle.select(table, original, cf8, options.legacyDefaultServer());
        if (c.serverId() != chosen) {
            violation("routing.wrong-server", "d" + d.domid + " vCPU " + vcpu + ": " + describe(original) + " went to "
                    + (chosen < 0 ? "the null handler" : "server " + chosen) + ", spec section 6 selects "
                    + (c.none() ? "the null handler" : "server " + c.serverId()));
            return;
        }
        if (sent != null && chosen >= 0 && c.type() == RangeType.PCI
                && (sent.type() != IoreqType.PCI_CONFIG || sent.addr() != c.pciKey())) {
            violation("routing.pci-rewrite", "d" + d.domid + " config cycle sent as " + describe(sent)
                    + ", expected PCI_CONFIG addr 0x" + Long.toHexString(c.pciKey()));
        }
        if (chosen >= 0 && RoutingOracle.claimants(table, c) > 1) {
            cover(RaceScenario.OVERLAPPING_RANGES);
        }
        checkCf8(d, vcpu, original);
    }

    /** H15: a data cycle routed with a CF8 value this vCPU did not write. */
    private void checkCf8(DomainShadow d, int vcpu, Ioreq original) {
        if (original.type() == IoreqType.PIO && (original.addr() & ~3L) == 0xCFC) {
            VcpuShadow v = d.vcpu(vcpu);
            long cf8 = d.x.pciCf8();
            if (v.lastCf8Write >= 0 && cf8 != v.lastCf8Write) {
                finding("H15", "d" + d.domid + " vCPU " + vcpu + " accessed 0x" + Long.toHexString(original.addr())
                        + " after writing CF8 0x" + Long.toHexString(v.lastCf8Write) + ", but the latch held 0x"
                        + Long.toHexString(cf8));
            }
        }
    }

    private void onNotSent(DomainShadow d, ModelEvent.IoreqNotSent e) {
        VcpuShadow v = d.vcpu(e.vcpu());
        v.lastRefusal = e.reason();
        v.lastRefusalServer = e.serverId();
        v.lastRefusalCause = null;
        if (!direct) {
            return;
        }
        if (e.status() == org.ioreqsim.ioreq.IoStatus.RETRY && d.x.state() == DomainState.RUNNING) {
            violation("send.retry-while-running", "d" + d.domid + " refused a send with RETRY although running");
        }
        ServerShadow ss = d.servers[e.serverId()];
        int vi = e.vcpu();
        Ioreq original = d.x.latched(vi);
        ServerView sv = d.x.server(e.serverId());
        if (original != null && sv != null && !(message instanceof VcpuRequest.SendInvalidate)
                && (original.type() == IoreqType.PIO || original.type() == IoreqType.COPY)) {
            if (!sv.enabled()) {
                violation("routing.disabled-server", "d" + d.domid + " vCPU " + vi + " routed " + describe(original)
                        + " to disabled server " + e.serverId() + " (the send was then refused: " + e.reason() + ")");
                return;
            }
            checkRouting(d, vi, original, e.serverId(), null);
        }
        if (ss == null || vi >= Shadows.TRACKED_VCPUS) {
            return;
        }
        if (e.reason().startsWith("device model set bad IO state")) {
            if (ss.dirtyFromRemovedVcpu[vi]) {
                v.lastRefusalCause = "S10-vcpu-destroy";
            } else if (ss.pageShared) {
                v.lastRefusalCause = "H14";
            } else if (ss.emulatorMisbehaved[vi]) {
                v.lastRefusalCause = "EMU";
            } else {
                violation("send.refused-clean-slot", "d" + d.domid + " server " + e.serverId() + " refused vCPU " + vi
                        + " (" + e.reason() + ") though nothing left its slot busy");
            }
        } else if (e.reason().startsWith("device model set bad event channel")) {
            if (ss.enabledWithoutPage || ss.gfnMappedWhileEnabled || ss.pageDropped || ss.pageShared) {
                v.lastRefusalCause = ss.pageDropped ? "H11" : ss.enabledWithoutPage ? "H12"
                        : ss.gfnMappedWhileEnabled ? "H13" : "H14";
            } else if (ss.emulatorMisbehaved[vi]) {
                v.lastRefusalCause = "EMU";
            } else {
                violation("send.refused-good-port", "d" + d.domid + " server " + e.serverId() + " refused vCPU " + vi
                        + " (" + e.reason() + ") though Xen wrote its vp_eport at enable");
            }
        } else if (e.reason().startsWith("no entry")) {
            if (d.h2Leak || !d.failedAdds.isEmpty()) {
                v.lastRefusalCause = "H2";
            } else {
                violation("send.no-entry", "d" + d.domid + " server " + e.serverId() + " has no entry for live vCPU "
                        + vi);
            }
        }
    }

    private void onHandled(DomainShadow d, ModelEvent.IoreqHandled e) {
        if (!direct) {
            return;
        }
        Ioreq latched = d.x.latched(e.vcpu());
        if (latched == null || (latched.type() != IoreqType.PIO && latched.type() != IoreqType.COPY)) {
            return;
        }
        if (e.route().equals("null")) {
            RoutingOracle.Choice c = RoutingOracle.select(table(d), latched, d.x.pciCf8(), options.legacyDefaultServer());
            if (!c.none()) {
                violation("routing.wrong-server", "d" + d.domid + " vCPU " + e.vcpu() + ": " + describe(latched)
                        + " went to the null handler, spec section 6 selects server " + c.serverId());
            }
            checkCf8(d, e.vcpu(), latched);
        }
        if (e.status() == org.ioreqsim.ioreq.IoStatus.OKAY && !e.route().equals("null")) {
            d.vcpu(e.vcpu()).lastRefusal = null;
        }
    }

    private void onCompleted(DomainShadow d, ModelEvent.IoreqCompleted e) {
        VcpuShadow v = d.vcpu(e.vcpu());
        ServerShadow ss = direct ? d.servers[e.serverId()] : null;
        int generation = ss == null ? 0 : ss.generation;
        InFlight f = v.remove(e.serverId(), generation);
        if (f == null) {
            violation("completion.without-request", "d" + d.domid + " vCPU " + e.vcpu() + " completed a request at server "
                    + e.serverId() + " that it has no outstanding request at (double completion or a dead server)");
            return;
        }
        v.lastConsumed = e.data();
        v.lastConsumedState = e.stateSeen();
        int vi = e.vcpu();
        if (ss == null || vi >= Shadows.TRACKED_VCPUS) {
            return;
        }
        if (e.stateSeen() == IoreqState.IORESP_READY) {
            Long answered = ss.answered[vi];
            if (answered != null && f.request().isRead() && !f.request().dataIsPtr() && answered != e.data()
                    && !ss.emulatorMisbehaved[vi] && !ss.zeroedUnderRequest[vi] && !ss.pageDropped) {
                violation("completion.wrong-data", "d" + d.domid + " vCPU " + vi + " consumed 0x"
                        + Long.toHexString(e.data()) + " from server " + e.serverId() + ", its emulator answered 0x"
                        + Long.toHexString(answered));
            }
        } else if (e.stateSeen() == IoreqState.NONE) {
            if (e.data() != ~0L) {
                violation("completion.reset-data", "d" + d.domid + " vCPU " + vi + " completed a reset slot with 0x"
                        + Long.toHexString(e.data()) + " instead of all ones");
            }
            if (!ss.zeroedUnderRequest[vi] && !ss.emulatorMisbehaved[vi] && !ss.pageDropped) {
                violation("completion.slot-lost", "d" + d.domid + " vCPU " + vi + " found its slot at server "
                        + e.serverId() + " NONE though no disable zeroed it and the emulator never reset it");
            }
        }
        ss.answered[vi] = null;
    }

    private void onCreated(DomainShadow d, ModelEvent.ServerCreated e) {
        if (!direct) {
            return;
        }
        if (!d.x.pauseInEffect()) {
            violation("pause.create-unpaused", "d" + d.domid + " created server " + e.serverId()
                    + " while its vCPUs were running (create pauses the domain)");
        }
        if (d.servers[e.serverId()] != null) {
            violation("ids.double-allocation", "d" + d.domid + " created server " + e.serverId()
                    + " in a slot that holds a live server");
        }
        int first = options.legacyDefaultServer() ? 1 : 0;
        for (int id = first; id < e.serverId(); id++) {
            if (d.servers[id] == null && d.x.server(id) == null) {
                violation("ids.not-lowest", "d" + d.domid + " created server " + e.serverId() + " while slot " + id
                        + " was free (create takes the lowest empty slot)");
                break;
            }
        }
        ServerShadow ss = new ServerShadow(e.serverId(), ++d.generation, e.emulatorDomid());
        ss.createdStep = step;
        d.servers[e.serverId()] = ss;
        adoptServer(d, ss, d.x.server(e.serverId()));
        if (d.addVcpuOutstanding > 0) {
            cover(RaceScenario.VCPU_ADDED_DURING_CREATE);
        }
    }

    @Override
    void onDestroyed(DomainShadow d, int id) {
        ServerShadow ss = direct ? d.servers[id] : null;
        boolean dying = d.killed || (d.x != null && (d.x.state() == DomainState.DYING || d.x.state() == DomainState.DEAD));
        if (direct && ss == null) {
            violation("destroy.unknown", "d" + d.domid + " destroyed server " + id + " which the monitors never saw");
            return;
        }
        if (direct && !dying && !d.x.pauseInEffect()) {
            violation("pause.destroy-unpaused", "d" + d.domid + " destroyed server " + id
                    + " while its vCPUs were running (destroy pauses the domain)");
        }
        int generation = ss == null ? 0 : ss.generation;
        for (VcpuShadow v : d.vcpus.values()) {
            if (!v.inflightAt(id, generation)) {
                continue;
            }
            if (ss != null && v.vcpu < Shadows.TRACKED_VCPUS && ss.slot[v.vcpu] == IoreqState.INPROCESS) {
                cover(RaceScenario.DESTROY_WHILE_INPROCESS);
            }
            v.remove(id, generation);
            if (dying) {
                finding("H3", "d" + d.domid + " destroyed while vCPU " + v.vcpu + " waited on server " + id);
                cover(RaceScenario.DOMAIN_DESTROYED_DURING_IO);
                continue;
            }
            v.lostServer = true;
            if (v.inflight.isEmpty()) {
                v.orphaned = true;
                v.staleLatch = true;
                finding("H1", "d" + d.domid + " vCPU " + v.vcpu + " orphaned by the destruction of server " + id);
            } else {
                finding("H1", "d" + d.domid + " vCPU " + v.vcpu + " lost server " + id + " of its broadcast; a wake-up "
                        + "consumed while it waited there is not repeated");
            }
        }
        if (!dying) {
            d.portChurn = true;
        }
        if (ss != null) {
            ss.emulatorEnd = ss.emulatorEnd == null ? "server destroyed" : ss.emulatorEnd;
            d.servers[id] = null;
            releaseChecks(d, ss);
        }
    }

    private void onStateChanged(DomainShadow d, ModelEvent.ServerStateChanged e) {
        if (!direct) {
            return;
        }
        if (!d.x.pauseInEffect()) {
            violation("pause.set-state-unpaused", "d" + d.domid + " changed the state of server " + e.serverId()
                    + " while its vCPUs were running (set_state pauses the domain)");
        }
        ServerShadow ss = d.servers[e.serverId()];
        if (ss == null) {
            return;
        }
        ServerView sv = d.x.server(e.serverId());
        if (!e.enabled() && ss.enabled) {
            if (ss.bufPage != null && ss.wp != ss.rp) {
                cover(RaceScenario.DISABLE_WITH_BUFFERED_PENDING);
            }
            for (VcpuShadow v : d.vcpus.values()) {
                if (v.inflightAt(ss.id, ss.generation)) {
                    finding("H6", "d" + d.domid + " server " + ss.id + " disabled while vCPU " + v.vcpu
                            + " waits for it");
                }
            }
        }
        if (e.enabled() && !ss.enabled && sv != null && sv.ioreqPage() == null) {
            ss.enabledWithoutPage = true;
        }
        if (sv != null && sv.enabled() != e.enabled()) {
            violation("state.not-applied", "d" + d.domid + " server " + e.serverId() + " reported enabled="
                    + e.enabled() + " but is " + sv.enabled());
        }
        ss.enabled = e.enabled();
        ss.stateChangedThisStep = true;
    }

    private void onRangeChanged(DomainShadow d, ModelEvent.RangeChanged e) {
        ServerShadow ss = direct ? d.servers[e.serverId()] : null;
        if (ss != null) {
            IntervalSet set = ss.ranges[e.type().code()];
            String what = "d" + d.domid + " server " + e.serverId() + " " + e.type() + " [0x" + Long.toHexString(e.start())
                    + ", 0x" + Long.toHexString(e.end()) + "]";
            if (Long.compareUnsigned(e.start(), e.end()) > 0) {
                violation("ranges.reversed-accepted", what + (e.mapped() ? " mapped" : " unmapped")
                        + " although start > end (-EINVAL, XSA-238)");
            } else if (e.mapped()) {
                if (set.overlaps(e.start(), e.end())) {
                    violation("ranges.overlap-accepted", what + " mapped although it overlaps " + set
                            + " (-EEXIST, spec 10.4)");
                }
                set.add(e.start(), e.end());
            } else {
                if (!set.containsInOne(e.start(), e.end())) {
                    violation("ranges.unmap-not-contained", what + " unmapped although no one range of " + set
                            + " contains it (-ENOENT, spec 10.5)");
                }
                set.remove(e.start(), e.end());
            }
        }
        if (e.mapped()) {
            return;
        }
        for (VcpuShadow v : d.vcpus.values()) {
            for (InFlight f : v.inflight) {
                if (f.server() != e.serverId()) {
                    continue;
                }
                Ioreq o = f.original();
                long lo;
                long hi;
                if (e.type() == RangeType.PCI) {
                    if (f.request().type() != IoreqType.PCI_CONFIG) {
                        continue;
                    }
                    lo = f.request().addr() >>> 32;
                    hi = lo;
                } else if (e.type() == RangeType.PORT && o.type() == IoreqType.PIO
                        && f.request().type() == IoreqType.PIO) {
                    lo = o.addr();
                    hi = o.addr() + o.size() - 1;
                } else if (e.type() == RangeType.MEMORY && o.type() == IoreqType.COPY) {
                    lo = o.firstByte();
                    hi = o.lastByte();
                } else {
                    continue;
                }
                if (Long.compareUnsigned(lo, e.end()) <= 0 && Long.compareUnsigned(hi, e.start()) >= 0) {
                    cover(RaceScenario.UNMAP_DURING_IO);
                    finding("H7", "d" + d.domid + " server " + e.serverId() + " unmapped " + e.type() + " [0x"
                            + Long.toHexString(e.start()) + ", 0x" + Long.toHexString(e.end()) + "] while vCPU "
                            + v.vcpu + "'s " + describe(o) + " routed by it was in flight");
                }
            }
        }
    }

    private void onBufferedSent(DomainShadow d, ModelEvent.BufferedSent e) {
        if (!direct) {
            return;
        }
        ServerView sv = d.x.server(e.serverId());
        ServerShadow ss = d.servers[e.serverId()];
        if (sv == null || ss == null) {
            violation("buffered.no-server", "d" + d.domid + " buffered a write for empty slot " + e.serverId());
            return;
        }
        if (!sv.enabled()) {
            violation("buffered.disabled-server", "d" + d.domid + " buffered a write into disabled server "
                    + e.serverId());
        }
        ss.bufferedThisStep += e.slots();
        BufferedIoreqPage ring = sv.bufferedPage();
        if (ring == null) {
            violation("buffered.no-ring", "d" + d.domid + " buffered into server " + e.serverId() + " with no ring");
            return;
        }
        long slot = ring.slotAt(e.writePointer() - e.slots());
        if (BufferedIoreqPage.slotType(slot) == IoreqType.COPY.code()) {
            Ioreq q = new Ioreq(BufferedIoreqPage.slotAddr(slot), 0, 1, 1L << BufferedIoreqPage.slotSizeCode(slot), 0,
                    IoreqState.READY, false, org.ioreqsim.ioreq.IoDirection.WRITE, false, IoreqType.COPY);
            RoutingOracle.Choice c = RoutingOracle.select(table(d), q, d.x.pciCf8(), options.legacyDefaultServer());
            if (c.serverId() != e.serverId()) {
                violation("routing.wrong-server", "d" + d.domid + " buffered VGA write to 0x"
                        + Long.toHexString(q.addr()) + " went to server " + e.serverId() + ", spec section 6 selects "
                        + (c.none() ? "no server" : "server " + c.serverId()));
            }
        }
    }

    private void onBufferedNotSent(DomainShadow d, ModelEvent.BufferedNotSent e) {
        if (e.reason().equals("ring full")) {
            finding("H4", "d" + d.domid + " server " + e.serverId() + "'s buffered ring was full");
        } else if (e.reason().contains("(H5)")) {
            finding("H5", "d" + d.domid + " server " + e.serverId() + " dropped an unbufferable request");
        } else if (e.reason().equals("no buffered page") && message instanceof VcpuRequest.SendTimeoffset) {
            ServerView sv = direct ? d.x.server(e.serverId()) : null;
            if (sv == null || sv.mode() == BufioreqMode.OFF) {
                finding("S9", "d" + d.domid + " TIMEOFFSET broadcast failed for bufioreq-OFF server " + e.serverId());
            }
        }
    }

    /**
     * A server's state, ranges and existence change by dm_op only at the request of the domain that
     * created it (spec 10: every op but create looks the server up, then -EPERM unless the caller is its
     * emulator domain); {@code domain_kill} destroys without a caller.
     */
    private void checkOwner(DomainShadow d, ModelEvent e) {
        if (!direct || !(message instanceof Domain.DmOpRequest op)) {
            return;
        }
        int id = e instanceof ModelEvent.ServerStateChanged c ? c.serverId()
                : e instanceof ModelEvent.RangeChanged r ? r.serverId()
                : e instanceof ModelEvent.ServerDestroyed x ? x.serverId() : -1;
        ServerShadow sv = id >= 0 && id < d.servers.length ? d.servers[id] : null;
        if (sv != null && sv.emulatorDomid != op.callerDomid()) {
            violation("dmop.not-owner", "d" + d.domid + " server " + id + " changed by " + op.op().getClass().getSimpleName()
                    + " from d" + op.callerDomid() + ", but it belongs to d" + sv.emulatorDomid
                    + " (spec 10: -EPERM for any other caller)");
        }
    }

    private void onCrashed(DomainShadow d, ModelEvent.DomainCrashed e) {
        d.crashed = true;
        if (!direct) {
            return;
        }
        String reason = e.reason();
        if (reason.startsWith("HYPERVISOR_FAULT")) {
            return;
        }
        if (reason.startsWith("hypervisor fault")) {
            if (anyPageDropped(d)) {
                finding("H11", "d" + d.domid + " crashed: " + reason + " (its page was dropped by a failed "
                        + "acquire_resource)");
            } else {
                violation("crash.unexplained", "d" + d.domid + " crashed: " + reason);
            }
            return;
        }
        if (reason.startsWith("Weird HVM ioemulation status") || reason.startsWith("re-issued access does not match")) {
            // an emulation failure (hvmemul_do_io: UNHANDLEABLE, or a re-issue that does not match the latched
            // IORESP_READY request): explained only by a stale latched request (H1-stale) or a refused send
            // the vCPU raises the failure and asks its domain to crash (VcpuRequest.CrashDomain): the crash
            // itself happens in the domain's step, which names the vCPU
            int vcpu = message instanceof VcpuRequest.CrashDomain c ? c.vcpuId()
                    : actor.kind() == ActorKey.Kind.VCPU ? actor.vcpu() : -1;
            String cause = d.vcpuCrashCause == null || d.vcpuCrashCause.isEmpty() ? null : d.vcpuCrashCause;
            if (cause == null && vcpu >= 0) {
                cause = explainEmulationFailure(d, vcpu);
            }
            if (cause == null) {
                violation("crash.unexplained", "d" + d.domid + " crashed: " + reason + " (vCPU " + vcpu
                        + ", last refusal: " + lastRefusal(d) + ")");
            }
            return;
        }
        if (reason.startsWith("Weird HVM ioreq state") || reason.startsWith("Weird HVM iorequest state")) {
            if (!anyEmulatorMisbehaved(d)) {
                violation("crash.unexplained", "d" + d.domid + " crashed: " + reason
                        + " though no emulator wrote an illegal state");
            }
            return;
        }
        violation("crash.unexplained", "d" + d.domid + " crashed: " + reason);
    }

    private void onKilled(DomainShadow d) {
        boolean io = false;
        for (VcpuShadow v : d.vcpus.values()) {
            if (!v.inflight.isEmpty()) {
                io = true;
                finding("H3", "d" + d.domid + " destroyed while vCPU " + v.vcpu + " waited on server "
                        + v.inflight.get(0).server());
            }
            v.inflight.clear();
            v.orphaned = false;
            v.staleLatch = false;
        }
        if (io) {
            cover(RaceScenario.DOMAIN_DESTROYED_DURING_IO);
        }
        d.killed = true;
    }

    private void onHypervisorFault(DomainShadow d, ModelEvent.HypervisorFault e) {
        d.faulted = true;
        boolean dropped = false;
        for (ServerShadow s : d.servers) {
            dropped |= s != null && s.pageDropped;
        }
        if (dropped || e.reason().contains("dropped")) {
            finding("H11", "d" + d.domid + ": " + e.reason() + " after a failed acquire_resource dropped its page");
        } else if (e.reason().contains("no ioreq page")) {
            finding("H12", "d" + d.domid + ": " + e.reason());
        } else {
            violation("fault.unexplained", "d" + d.domid + " hypervisor fault: " + e.reason());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Lane reports

    /**
     * Incarnation {@code incarnation} of vCPU {@code vcpu} started a guest operation. A new incarnation
     * (the id re-created after a removal) may start while the old one's actor has not yet reported its
     * operation abandoned.
     */
    public synchronized void guestOpStarted(int domid, int vcpu, int incarnation, GuestOp op) {
        activity++;
        VcpuShadow v = domain(domid).vcpu(vcpu);
        if (v.opOutstanding && v.opIncarnation == incarnation) {
            violation("op.overlap", "d" + domid + " vCPU " + vcpu + " started " + op + " before its last op ended");
        }
        v.opOutstanding = true;
        v.opIncarnation = incarnation;
        v.currentOp = op;
    }

    /** A vCPU's guest operation ended. */
    public synchronized void guestOpEnded(int domid, int vcpu, int incarnation, Outcome outcome) {
        DomainShadow d = domain(domid);
        VcpuShadow v = d.vcpu(vcpu);
        if (incarnation != v.opIncarnation) {
            if (outcome.kind() != Outcome.Kind.ABANDONED) {
                violation("remove.vcpu-ran", "d" + domid + " vCPU " + vcpu + " (a removed incarnation) finished "
                        + outcome.op() + " as " + outcome.kind());
            }
            return;
        }
        if (!v.opOutstanding) {
            violation("op.double-end", "d" + domid + " vCPU " + vcpu + " ended " + outcome.op() + " twice");
            return;
        }
        v.opOutstanding = false;
        if (d.killed && (outcome.kind() == Outcome.Kind.DONE || outcome.kind() == Outcome.Kind.GP_FAULT)) {
            violation("kill.vcpu-ran", "d" + domid + " vCPU " + vcpu + " finished " + outcome.op()
                    + " after its domain was destroyed (domain_kill: the vCPUs never run again)");
        }
        if (outcome.op() instanceof GuestOp.Io io && outcome.kind() == Outcome.Kind.DONE && !io.isRead()
                && io.addr() == 0xCF8 && !io.mmio() && io.size() == 4) {
            v.lastCf8Write = io.data() & 0xFFFFFFFFL;
        }
        switch (outcome.kind()) {
            case DONE -> {
                if (!v.inflight.isEmpty() && !outcome.buffered()) {
                    violation("op.done-while-pending", "d" + domid + " vCPU " + vcpu + " finished " + outcome.op()
                            + " while its request to server " + v.inflight.get(0).server() + " is outstanding");
                }
                checkValue(d, v, outcome);
            }
            case GP_FAULT -> {
                if (direct && explainEmulationFailure(d, vcpu) == null) {
                    violation("gp.unexplained", "d" + domid + " vCPU " + vcpu + " got #GP for " + outcome.op()
                            + " (last refusal: " + (v.lastRefusal == null ? "none" : v.lastRefusal) + ")");
                }
            }
            case DOMAIN_CRASHED -> {
                if (direct && !d.crashed && d.vcpuCrashCause == null && actor.kind() == ActorKey.Kind.VCPU
                        && actor.vcpu() == vcpu) {
                    // this vCPU's own emulation failure is crashing the domain; its domain reports it later
                    d.vcpuCrashCause = explainEmulationFailure(d, vcpu);
                    if (d.vcpuCrashCause == null) {
                        d.vcpuCrashCause = "";
                    }
                }
            }
            default -> {
                // abandoned with its vCPU or domain
            }
        }
        v.lastRefusal = null;
        v.lastRefusalCause = null;
    }

    /** A read's value must be what completion consumed (or all ones from the null handler). */
    private void checkValue(DomainShadow d, VcpuShadow v, Outcome o) {
        if (!(o.op() instanceof GuestOp.Io io) || !io.isRead() || io.dataIsPtr() || v.lostServer || v.orphaned) {
            v.lastConsumedState = -1;
            return;
        }
        long mask = io.size() >= 8 ? -1L : (1L << (io.size() * 8)) - 1;
        String route = o.route().key();
        if (route.equals("null")) {
            if (o.value() != mask) {
                violation("value.null-handler", "d" + d.domid + " vCPU " + v.vcpu + " read 0x"
                        + Long.toHexString(o.value()) + " from the null handler (all ones expected)");
            }
        } else if (route.startsWith("server-") && v.lastConsumedState >= 0 && o.value() != (v.lastConsumed & mask)) {
            violation("value.wrong", "d" + d.domid + " vCPU " + v.vcpu + " read 0x" + Long.toHexString(o.value())
                    + " but completion consumed 0x" + Long.toHexString(v.lastConsumed));
        }
        v.lastConsumedState = -1;
    }

    /** A lane began an operation. */
    public synchronized void laneOpStarted(String lane, int domid, StressOp op) {
        DomainShadow d = domain(domid);
        if (op instanceof StressOp.AddVcpu) {
            d.addVcpuOutstanding++;
            if (d.startsOutstanding > 0) {
                cover(RaceScenario.VCPU_ADDED_DURING_CREATE);
            }
        } else if (op instanceof StressOp.Start) {
            d.startsOutstanding++;
        } else if (op instanceof StressOp.Crash && d.x != null && d.x.state() == DomainState.RUNNING) {
            cover(RaceScenario.EMULATOR_DIES_FIRST);
        }
        lanesWaiting.put(lane, op);
    }

    /** A lane's operation finished with {@code result} (null if it was skipped or its target went away). */
    public synchronized void laneOpDone(String lane, int domid, StressOp op, Result<?> result) {
        DomainShadow d = domain(domid);
        lanesWaiting.remove(lane);
        if (op instanceof StressOp.AddVcpu) {
            d.addVcpuOutstanding--;
            if (result != null && !result.isOk() && d.x != null && result.errnoOrNull() != org.ioreqsim.ioreq.Errno.EINVAL) {
                int id = 0;
                while (d.x.hasVcpu(id)) {
                    id++;
                }
                d.failedAdds.add(id);
            }
        } else if (op instanceof StressOp.Start) {
            d.startsOutstanding--;
        } else if (op instanceof StressOp.RemoveVcpu r && result != null && result.isOk()) {
            d.portChurn = true;
            VcpuShadow v = d.vcpu(r.vcpu());
            for (ServerShadow s : d.servers) {
                if (s != null && r.vcpu() < Shadows.TRACKED_VCPUS && s.slot[r.vcpu()] != IoreqState.NONE) {
                    s.dirtyFromRemovedVcpu[r.vcpu()] = true;
                }
            }
            v.inflight.clear();
            v.orphaned = false;
            v.staleLatch = false;
            v.incarnation++;
        }
    }

    /** The lane has run its whole program. */
    public synchronized void laneFinished(String lane) {
        lanesWaiting.remove(lane);
        lanesFinished++;
        activity++;
    }

    /** Lanes that have run their whole program. */
    public synchronized int lanesFinished() {
        return lanesFinished;
    }

    /** A counter that moves with every event and report (free runs watch it to see a world go quiet). */
    public long activity() {
        return activity;
    }

    /** A lane is waiting on something (for the liveness report). */
    public synchronized void laneWaiting(String lane, String what) {
        lanesWaiting.put(lane, what);
    }

    /** Emulator {@code key} finished starting for server {@code serverId} of {@code domid}. */
    public synchronized void emulatorStarted(String key, int domid, int serverId) {
        DomainShadow d = domain(domid);
        ServerShadow ss = direct && serverId >= 0 ? d.servers[serverId] : null;
        if (ss != null) {
            ss.emulatorAlive = true;
            ss.emulatorKey = key;
            ss.emulatorEnd = null;
            emulators.put(key, ss);
        }
    }

    /** Emulator {@code key} is gone (crashed, failed, or exited). */
    public synchronized void emulatorGone(String key, String how) {
        ServerShadow ss = emulators.remove(key);
        if (ss != null && ss.emulatorAlive) {
            ss.emulatorAlive = false;
            ss.emulatorEnd = how;
        }
    }

    /** The manual client of emulator {@code key} answered {@code data} for vCPU {@code vcpu}. */
    public synchronized void answered(String key, int vcpu, long data) {
        ServerShadow ss = emulators.get(key);
        if (ss != null && vcpu < Shadows.TRACKED_VCPUS) {
            ss.answered[vcpu] = data;
        }
    }

    /** A VGA write reached emulator {@code device} (data: vCPU and sequence number). */
    public synchronized void vgaWrite(String device, int data) {
        int vcpu = (data >>> 12) & 0xF;
        int seq = data & 0xFFF;
        String k = device + "/" + vcpu;
        Integer last = lastVgaSeq.get(k);
        if (last != null && seq <= last) {
            violation("buffered.order", device + " received vCPU " + vcpu + "'s VGA write #" + seq + " after #" + last
                    + " (one vCPU's writes must reach its server in order)");
        }
        lastVgaSeq.put(k, seq);
    }

    // ---------------------------------------------------------------------------------------------

    /** The schedule ran out of steps: a livelock, or a budget too small for the program. */
    public synchronized void budgetExhausted(int maxSteps) {
        violation("liveness.step-budget", "still running after " + maxSteps + " steps (livelock?)");
    }

    /** The rule of a step the watchdog stopped. */
    public static final String STEP_HANG = "liveness.step-hang";

    /** The step of {@code key} ran past the watchdog's limit and was stopped: an endless loop in the model. */
    public synchronized void stepHung(String key, long seconds) {
        violations.add(new Violation(STEP_HANG, key + " did not finish its step within " + seconds
                + " s of CPU time (an endless loop inside one message?); the step was stopped", step));
    }

    /**
     * An actor of the model failed with an exception (Akka logged it at ERROR while the driver ran its
     * step): the model never throws by design except {@code DomainCrash}, which it handles itself.
     */
    public synchronized void actorFailed(Throwable cause, String message) {
        if (cause instanceof Runaway || runaway || closed) {
            return;
        }
        String what;
        if (cause == null) {
            what = String.valueOf(message);
        } else {
            StackTraceElement at = cause.getStackTrace().length > 0 ? cause.getStackTrace()[0] : null;
            what = cause + (at == null ? "" : " at " + at);
        }
        violation("model.actor-failure", what);
    }

    /** A monitor or driver failure: reported as a violation so it is never silent. */
    public synchronized void internalError(RuntimeException e) {
        if (e instanceof Runaway || runaway) {
            return;
        }
        StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        violation("harness.error", e + (at == null ? "" : " at " + at));
    }

    /** The schedule is over: what happens while its world is torn down is not judged. */
    public synchronized void close() {
        closed = true;
    }
}
