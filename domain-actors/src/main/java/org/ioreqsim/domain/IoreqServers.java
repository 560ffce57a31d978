package org.ioreqsim.domain;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.RangeSet;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.page.Page;
import org.ioreqsim.ioreq.page.ServerPage;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.IoreqVcpuEntry;
import org.ioreqsim.vcpu.Vcpu;
import org.ioreqsim.vcpu.VcpuIo;

/**
 * A target domain's ioreq-server table and the lifecycle operations of xen/arch/x86/hvm/ioreq.c at the
 * seed: create, destroy, get_info, get_frame, map/unmap ranges, set_state, vCPU hooks and
 * destroy-all. Each public method models one Xen function and checks in that function's order; the
 * domain actor runs them one at a time (the per-domain ioreq lock) and pauses the domain around
 * create, destroy and set_state as Xen does.
 *
 * <p>Routing and sending live in {@link IoreqRouting}, which reads the same table.
 */
final class IoreqServers {

    /** What destroying a server did to vCPUs waiting on it (hazard H1). */
    record Destroyed(int id, List<Integer> orphanedVcpus) {
    }

    private final int domid;
    private final EventChannelTable evtchn;
    private final GuestPhysmap physmap;
    private final IoreqGfnPool gfnPool;
    private final long[] params;
    private final MachineMemory memory;
    private final XenOptions options;
    private final List<VcpuIo> vcpus;
    private final java.util.function.Consumer<String> findings;
    private final ModelTracer tracer;
    private final DomainCounters counters;
    final HvmIoreqServer[] slots = new HvmIoreqServer[Xen.MAX_NR_IOREQ_SERVERS];
    private boolean dying;
    /** {@code p2m->ioreq.server}: the server id that claimed HVMMEM_ioreq_server, or -1. */
    private int memTypeOwner = -1;
    /** References on emulator domains ({@code get_knownalive_domain} / {@code put_domain}). */
    private final DomainRefs refs;
    /** {@link DomainConfig#bufioreqRingStart()}: where a fresh buffered ring's pointers start (Xen: 0). */
    private int ringStart;

    IoreqServers(int domid, EventChannelTable evtchn, GuestPhysmap physmap, IoreqGfnPool gfnPool, long[] params,
                 MachineMemory memory, XenOptions options, List<VcpuIo> vcpus,
                 java.util.function.Consumer<String> findings, ModelTracer tracer, DomainCounters counters,
                 DomainRefs refs) {
        this.domid = domid;
        this.refs = refs;
        this.evtchn = evtchn;
        this.physmap = physmap;
        this.gfnPool = gfnPool;
        this.params = params;
        this.memory = memory;
        this.options = options;
        this.vcpus = vcpus;
        this.findings = findings;
        this.tracer = tracer;
        this.counters = counters;
    }

    /** Fresh buffered rings start with rp = wp = {@code start} (a simulation knob, see {@link DomainConfig}). */
    void startRingsAt(long start) {
        this.ringStart = (int) start;
    }

    void setDying() {
        this.dying = true;
    }

    HvmIoreqServer get(int id) {
        return id >= 0 && id < slots.length ? slots[id] : null;
    }

    /** The id of the server claiming HVMMEM_ioreq_server, or -1. */
    int memTypeOwner() {
        return memTypeOwner;
    }

    /**
     * {@code hvm_create_ioreq_server}: EINVAL(handle_bufioreq > 2) -> ENOSPC(no free slot) -> errors of
     * init (port allocation: ENOSPC, EINVAL in a dying domain). The domain is paused around it.
     */
    Result<HypercallOutput> create(int emulatorDomid, int handleBufioreq) {
        BufioreqMode mode = BufioreqMode.fromCode(handleBufioreq);
        if (mode == null) {
            return Result.err(Errno.EINVAL);
        }
        int first = options.legacyDefaultServer() ? 1 : 0;
        int id = first;
        while (id < slots.length && slots[id] != null) {
            id++;
        }
        if (id >= slots.length) {
            return Result.err(Errno.ENOSPC);
        }
        return install(new HvmIoreqServer(id, emulatorDomid, mode, false))
                .map(s -> new HypercallOutput.IoreqServerId(s.id));
    }

    private void trace(ModelEvent e) {
        if (tracer.enabled()) {
            tracer.event(e);
        }
    }

    /**
     * Pre-seed only: the default server in slot 0, created by a toolstack read of param 5, 6 or 26
     * before the domain first ran. EEXIST if slot 0 is taken; pages come from params 5 and 6.
     */
    Result<HvmIoreqServer> createDefault(int emulatorDomid) {
        if (slots[0] != null) {
            return Result.err(Errno.EEXIST);
        }
        HvmIoreqServer s = new HvmIoreqServer(0, emulatorDomid, BufioreqMode.LEGACY, true);
        slots[0] = s;
        Result<Long> mapped = mapPages(s);
        if (!mapped.isOk()) {
            slots[0] = null;
            return Result.err(mapped.errnoOrNull());
        }
        Result<HvmIoreqServer> r = install(s);
        if (r.isOk()) {
            enable(s);
        }
        return r;
    }

    /** Installs the server in its slot before initialising it (safe: the domain is paused). */
    private Result<HvmIoreqServer> install(HvmIoreqServer s) {
        slots[s.id] = s;
        for (VcpuIo v : vcpus) {
            Result<Long> rc = addVcpu(s, v);
            if (!rc.isOk()) {
                removeAllVcpus(s);
                unmapPages(s);
                slots[s.id] = null;
                return Result.err(rc.errnoOrNull());
            }
        }
        refs.hold(s.emulatorDomid);
        trace(new ModelEvent.ServerCreated(domid, s.id, s.emulatorDomid, s.bufioreqMode.name()));
        return Result.ok(s);
    }

    /** Id lookup then ownership, as every op but create does: ENOENT -> EPERM. */
    Result<HvmIoreqServer> lookupOwned(int callerDomid, long id) {
        HvmIoreqServer s = id >= 0 && id < slots.length ? slots[(int) id] : null;
        if (s == null) {
            return Result.err(Errno.ENOENT);
        }
        if (s.emulatorDomid != callerDomid) {
            return Result.err(Errno.EPERM);
        }
        return Result.ok(s);
    }

    /**
     * {@code hvm_destroy_ioreq_server}: ENOENT -> EPERM, then (domain paused) release the mem-type
     * claim, disable, deinit (pending entries are discarded with their ports), empty the slot.
     */
    Result<Destroyed> destroy(HvmIoreqServer s) {
        if (memTypeOwner == s.id) {
            memTypeOwner = -1;
        }
        disable(s);
        trace(new ModelEvent.ServerTeardown(domid, s.id, ModelEvent.ServerTeardown.DISABLED));
        List<Integer> orphans = deinit(s);
        trace(new ModelEvent.ServerTeardown(domid, s.id, ModelEvent.ServerTeardown.DEINIT));
        slots[s.id] = null;
        trace(new ModelEvent.ServerDestroyed(domid, s.id, orphans));
        return Result.ok(new Destroyed(s.id, orphans));
    }

    /**
     * {@code hvm_destroy_all_ioreq_servers} (domain death): no pause, no ownership check, 7 down to 0.
     * {@code domain_kill} cannot fail, so a hypervisor fault while disabling one server (a page that a
     * failed acquire_resource dropped) is reported and the destruction goes on.
     */
    List<Destroyed> destroyAll() {
        List<Destroyed> out = new ArrayList<>();
        memTypeOwner = -1;
        for (int id = slots.length - 1; id >= 0; id--) {
            HvmIoreqServer s = slots[id];
            if (s != null) {
                try {
                    disable(s);
                } catch (HypervisorFault fault) {
                    findings.accept("HYPERVISOR_FAULT: " + fault.getMessage());
                    trace(new ModelEvent.HypervisorFault(domid, fault.getMessage()));
                }
                trace(new ModelEvent.ServerTeardown(domid, id, ModelEvent.ServerTeardown.DISABLED));
                Destroyed d = new Destroyed(id, deinit(s));
                trace(new ModelEvent.ServerTeardown(domid, id, ModelEvent.ServerTeardown.DEINIT));
                out.add(d);
                slots[id] = null;
                trace(new ModelEvent.ServerDestroyed(domid, id, d.orphanedVcpus()));
            }
        }
        return out;
    }

    /**
     * {@code hvm_get_ioreq_server_info} after the lookup: map the pages into guest frames if gfns are
     * wanted (EPERM if resource-mapped, EINVAL dying or unpopulated, ENOMEM pool empty), then report.
     * Fields Xen does not write keep the caller's input.
     */
    Result<HypercallOutput> getInfo(HvmIoreqServer s, boolean wantGfns, long inPort, long inIoreqGfn,
                                    long inBufGfn) {
        if (wantGfns) {
            boolean wasMapped = s.ioreq.isGfnMapped();
            Result<Long> rc = mapPages(s);
            if (!rc.isOk()) {
                return Result.err(rc.errnoOrNull());
            }
            if (s.enabled && !wasMapped) {
                findings.accept("H13: server " + s.id + "'s pages were mapped to gfns after it was enabled; "
                        + "they stay in the guest's physmap, where the guest can read and forge requests");
            }
        }
        long ioreqGfn = wantGfns ? s.ioreq.gfn() : inIoreqGfn;
        long bufGfn = inBufGfn;
        long port = inPort;
        if (s.handlesBuffered()) {
            if (wantGfns) {
                bufGfn = s.bufioreq.gfn();
            }
            port = s.bufioreqEvtchn;
        }
        return Result.ok(new HypercallOutput.IoreqServerInfo(port, ioreqGfn, bufGfn));
    }

    /**
     * {@code hvm_get_ioreq_server_frame} after the lookup: allocate the pages (EPERM if gfn-mapped) —
     * before the index is validated — then frame 0 is the buffered page (ENOENT without one), frame 1
     * the synchronous page, anything else EINVAL.
     */
    Result<Long> getFrame(HvmIoreqServer s, long idx) {
        Result<Long> rc = allocPages(s);
        if (!rc.isOk()) {
            return rc;
        }
        if (idx == Xen.RESOURCE_FRAME_BUFIOREQ) {
            return s.handlesBuffered() ? Result.ok(s.bufioreq.page().mfn()) : Result.err(Errno.ENOENT);
        }
        if (idx == Xen.RESOURCE_FRAME_IOREQ) {
            Page p = s.ioreq.page();
            return p == null ? Result.err(Errno.ENOENT) : Result.ok(p.mfn());
        }
        return Result.err(Errno.EINVAL);
    }

    /**
     * {@code hvm_map_io_range_to_ioreq_server} after the lookup: EINVAL(type) -> EEXIST(overlap in this
     * server's set) -> the add (ENOMEM at the 256-range limit; adjacent ranges merge).
     */
    Result<HypercallOutput> mapRange(HvmIoreqServer s, long type, long start, long end) {
        RangeType t = RangeType.fromCode(type);
        if (t == null) {
            return Result.err(Errno.EINVAL);
        }
        RangeSet r = s.ranges(t);
        if (r.overlapsRange(start, end)) {
            return Result.err(Errno.EEXIST);
        }
        Result<Long> rc = r.add(start, end);
        if (rc.isOk()) {
            trace(new ModelEvent.RangeChanged(domid, s.id, t, start, end, true));
        }
        return rc.map(x -> HypercallOutput.None.INSTANCE);
    }

    /**
     * {@code hvm_unmap_io_range_from_ioreq_server} after the lookup: EINVAL(type) -> ENOENT(not inside
     * one stored range) -> the remove (ENOMEM when a split exceeds the limit).
     */
    Result<HypercallOutput> unmapRange(HvmIoreqServer s, long type, long start, long end) {
        RangeType t = RangeType.fromCode(type);
        if (t == null) {
            return Result.err(Errno.EINVAL);
        }
        RangeSet r = s.ranges(t);
        if (!r.containsRange(start, end)) {
            return Result.err(Errno.ENOENT);
        }
        Result<Long> rc = r.remove(start, end);
        if (rc.isOk()) {
            trace(new ModelEvent.RangeChanged(domid, s.id, t, start, end, false));
        }
        return rc.map(x -> HypercallOutput.None.INSTANCE);
    }

    /**
     * {@code p2m_set_ioreq_server}: flags 0 releases (EINVAL unless this server owns the claim); any
     * other (valid) flags claim (EBUSY if any server already owns it).
     */
    Result<HypercallOutput> setMemTypeServer(HvmIoreqServer s, long flags) {
        if (flags == 0) {
            if (memTypeOwner != s.id) {
                return Result.err(Errno.EINVAL);
            }
            memTypeOwner = -1;
        } else {
            if (memTypeOwner >= 0) {
                return Result.err(Errno.EBUSY);
            }
            memTypeOwner = s.id;
        }
        return Result.ok(new HypercallOutput.MemTypeOpaque(0));
    }

    /** {@code hvm_set_ioreq_server_state} after the lookup (domain paused): any non-zero enables. */
    Result<HypercallOutput> setState(HvmIoreqServer s, boolean enabled) {
        if (enabled) {
            enable(s);
        } else {
            disable(s);
        }
        trace(new ModelEvent.ServerStateChanged(domid, s.id, enabled));
        return Result.ok(HypercallOutput.None.INSTANCE);
    }

    /**
     * {@code hvm_all_ioreq_servers_add_vcpu}: add the vCPU to every server, 7 down to 0. On failure the
     * seed undoes the servers further down (which have no entry yet), leaking the entries it made on
     * higher ids; {@code fixAddVcpuCleanup} (215f2576b0) undoes those instead.
     */
    Result<Long> addVcpuToAll(VcpuIo v) {
        for (int id = slots.length - 1; id >= 0; id--) {
            HvmIoreqServer s = slots[id];
            if (s == null) {
                continue;
            }
            Result<Long> rc = addVcpu(s, v);
            if (!rc.isOk()) {
                if (options.fixAddVcpuCleanup()) {
                    for (int up = id + 1; up < slots.length; up++) {
                        if (slots[up] != null) {
                            removeVcpu(slots[up], v);
                        }
                    }
                } else {
                    for (int down = id - 1; down >= 0; down--) {
                        if (slots[down] != null) {
                            removeVcpu(slots[down], v);
                        }
                    }
                }
                return rc;
            }
        }
        return Result.ok(0L);
    }

    /** {@code hvm_all_ioreq_servers_remove_vcpu}. */
    void removeVcpuFromAll(VcpuIo v) {
        for (int id = slots.length - 1; id >= 0; id--) {
            if (slots[id] != null) {
                removeVcpu(slots[id], v);
            }
        }
    }

    /**
     * {@code hvm_ioreq_server_add_vcpu}: the vCPU's ioreq port (lowest free, notify vCPU = it, remote =
     * emulator), then for vCPU 0 of a buffered server the bufioreq port; if enabled, write vp_eport.
     */
    private Result<Long> addVcpu(HvmIoreqServer s, VcpuIo v) {
        Result<Integer> port = evtchn.allocUnboundXen(v.vcpuId(), s.emulatorDomid, p -> new EventChannelConsumer<>(v.vcpu(), Vcpu.EventChannelNotified.of(p)));
        if (!port.isOk()) {
            return Result.err(port.errnoOrNull());
        }
        if (v.vcpuId() == 0 && s.handlesBuffered()) {
            Result<Integer> buf = evtchn.allocUnboundXen(0, s.emulatorDomid, p -> new EventChannelConsumer<>(v.vcpu(), Vcpu.EventChannelNotified.of(p)));
            if (!buf.isOk()) {
                evtchn.close(port.value(), false);
                return Result.err(buf.errnoOrNull());
            }
            s.bufioreqEvtchn = buf.value();
            trace(new ModelEvent.PortAllocated(domid, s.id, 0, buf.value(), true));
            if (s.isDefault) {
                params[HvmParam.BUFIOREQ_EVTCHN] = buf.value();
            }
        }
        trace(new ModelEvent.PortAllocated(domid, s.id, v.vcpuId(), port.value(), false));
        IoreqVcpuEntry e = new IoreqVcpuEntry(s.id, v.vcpuId(), port.value(), s.ioreq);
        s.addEntry(e);
        v.setEntry(s.id, e);
        if (s.enabled) {
            updateEvtchn(s, e);
        }
        return Result.ok(0L);
    }

    /** {@code hvm_ioreq_server_remove_vcpu}. */
    private void removeVcpu(HvmIoreqServer s, VcpuIo v) {
        IoreqVcpuEntry e = s.removeEntry(v.vcpuId());
        if (e == null) {
            return;
        }
        freePorts(s, e);
        if (v.entry(s.id) == e) {
            v.setEntry(s.id, null);
        }
    }

    /** {@code hvm_ioreq_server_deinit}: entries and ports go (returning the vCPUs left waiting), then pages. */
    private List<Integer> deinit(HvmIoreqServer s) {
        countUnreadBuffered(s, "destroyed");
        List<Integer> orphans = removeAllVcpus(s);
        unmapPages(s);
        freePages(s);
        refs.release(s.emulatorDomid);
        return orphans;
    }

    /** {@code hvm_ioreq_server_remove_all_vcpus}: frees every entry with its port(s), pending or not. */
    private List<Integer> removeAllVcpus(HvmIoreqServer s) {
        List<Integer> orphans = new ArrayList<>();
        for (IoreqVcpuEntry e : List.copyOf(s.entries())) {
            s.removeEntry(e.vcpuId());
            freePorts(s, e);
            if (e.isPending()) {
                orphans.add(e.vcpuId());
                findings.accept("H1: vCPU " + e.vcpuId() + " orphaned by the destruction of server " + s.id);
            }
            for (VcpuIo v : vcpus) {
                if (v.vcpuId() == e.vcpuId() && v.entry(s.id) == e) {
                    v.setEntry(s.id, null);
                }
            }
        }
        return orphans;
    }

    /**
     * Buffered writes published but not yet read when the ring's page is zeroed or freed are lost, as in
     * Xen; the model counts and reports them.
     */
    private void countUnreadBuffered(HvmIoreqServer s, String why) {
        BufferedIoreqPage ring = s.bufioreq.bufferedPage();
        if (ring == null) {
            return;
        }
        long unread = BufferedIoreqPage.used(ring.pointers());
        if (unread > 0) {
            if (why.startsWith("destroyed")) {
                counters.bufferedLostOnDestroy += unread;
            } else {
                counters.bufferedLostOnDisable += unread;
            }
            findings.accept("buffered: " + unread + " unread slot(s) of server " + s.id + " lost: server " + why);
            trace(new ModelEvent.BufferedNotSent(domid, s.id, unread + " unread slot(s) lost: server " + why));
        }
    }

    /** Frees an entry's port, and for vCPU 0 of a buffered server the bufioreq port first. */
    private void freePorts(HvmIoreqServer s, IoreqVcpuEntry e) {
        if (e.vcpuId() == 0 && s.handlesBuffered()) {
            evtchn.close(s.bufioreqEvtchn, false);
            trace(new ModelEvent.PortFreed(domid, s.id, 0, s.bufioreqEvtchn));
        }
        evtchn.close(e.ioreqPort(), false);
        trace(new ModelEvent.PortFreed(domid, s.id, e.vcpuId(), e.ioreqPort()));
    }

    /** {@code hvm_ioreq_server_enable}: take gfn pages out of the physmap, then write every vp_eport. */
    void enable(HvmIoreqServer s) {
        if (s.enabled) {
            return;
        }
        removeGfn(s, s.ioreq);
        removeGfn(s, s.bufioreq);
        s.enabled = true;
        for (IoreqVcpuEntry e : s.entries()) {
            updateEvtchn(s, e);
        }
    }

    /** {@code hvm_ioreq_server_disable}: gfn pages are zeroed and go back into the physmap. */
    void disable(HvmIoreqServer s) {
        if (!s.enabled) {
            return;
        }
        if (s.bufioreq.isGfnMapped()) {
            countUnreadBuffered(s, "disabled (its gfn page is zeroed)");
        }
        if (s.ioreq.isGfnMapped() && s.ioreq.ioreqPage() != null) {
            for (IoreqVcpuEntry e : s.entries()) {
                if (e.isPending() && s.ioreq.ioreqPage().state(e.vcpuId()) != IoreqState.NONE) {
                    findings.accept("H6: vCPU " + e.vcpuId() + "'s request to server " + s.id
                            + " is wiped by disable (gfn page zeroed); it will complete with all ones");
                }
            }
        }
        addGfn(s, s.bufioreq);
        addGfn(s, s.ioreq);
        s.enabled = false;
    }

    /** {@code hvm_update_ioreq_evtchn}: only if the synchronous page exists. */
    private void updateEvtchn(HvmIoreqServer s, IoreqVcpuEntry e) {
        if (s.ioreq.ioreqPage() != null && e.vcpuId() < Xen.HVM_MAX_VCPUS) {
            s.ioreq.ioreqPage().setVpEport(e.vcpuId(), e.ioreqPort());
        }
    }

    private void removeGfn(HvmIoreqServer s, ServerPage iorp) {
        if (s.isDefault || !iorp.isGfnMapped()) {
            return;
        }
        physmap.remove(iorp.gfn());
        clearPage(iorp);
    }

    private void addGfn(HvmIoreqServer s, ServerPage iorp) {
        if (s.isDefault || !iorp.isGfnMapped()) {
            return;
        }
        clearPage(iorp);
        if (iorp.page() != null) {
            physmap.add(iorp.gfn(), iorp.page());
        }
    }

    private static void clearPage(ServerPage iorp) {
        if (iorp.page() == null) {
            throw new HypervisorFault("clear_page on a server page that was dropped");
        }
        iorp.page().clear();
    }

    /** {@code hvm_ioreq_server_map_pages}: ioreq page, then (if buffered) the buffered page; undo on failure. */
    private Result<Long> mapPages(HvmIoreqServer s) {
        Result<Long> rc = mapGfn(s, s.ioreq, false);
        if (rc.isOk() && s.handlesBuffered()) {
            rc = mapGfn(s, s.bufioreq, true);
        }
        if (!rc.isOk()) {
            unmapGfn(s, s.ioreq);
        }
        return rc;
    }

    /** {@code hvm_map_ioreq_gfn}. */
    private Result<Long> mapGfn(HvmIoreqServer s, ServerPage iorp, boolean buf) {
        if (iorp.page() != null) {
            return iorp.isGfnMapped() ? Result.ok(0L) : Result.err(Errno.EPERM);
        }
        if (dying) {
            return Result.err(Errno.EINVAL);
        }
        long gfn = s.isDefault ? params[buf ? HvmParam.BUFIOREQ_PFN : HvmParam.IOREQ_PFN]
                : gfnPool.allocate(options.useLegacyGfns(), params);
        if (gfn == Xen.INVALID_GFN) {
            return Result.err(Errno.ENOMEM);
        }
        Page page = physmap.ringPage(gfn);
        if (page == null) {
            if (!s.isDefault) {
                gfnPool.free(gfn, options.useLegacyGfns(), params);
            }
            return Result.err(Errno.EINVAL);
        }
        iorp.set(page, gfn);
        return Result.ok(0L);
    }

    /** {@code hvm_ioreq_server_unmap_pages}: buffered, then ioreq. */
    private void unmapPages(HvmIoreqServer s) {
        unmapGfn(s, s.bufioreq);
        unmapGfn(s, s.ioreq);
    }

    /** {@code hvm_unmap_ioreq_gfn}: the gfn goes back to the pool (not for the default server). */
    private void unmapGfn(HvmIoreqServer s, ServerPage iorp) {
        if (!iorp.isGfnMapped()) {
            return;
        }
        if (!s.isDefault) {
            gfnPool.free(iorp.gfn(), options.useLegacyGfns(), params);
        }
        iorp.clearMapping();
    }

    /**
     * {@code hvm_ioreq_server_alloc_pages}: ioreq page then buffered page, each EPERM if gfn-mapped;
     * on any failure the seed drops the ioreq page — even when it was the gfn-mapped one.
     */
    private Result<Long> allocPages(HvmIoreqServer s) {
        Result<Long> rc = allocMfn(s, s.ioreq);
        if (rc.isOk() && s.handlesBuffered()) {
            rc = allocMfn(s, s.bufioreq);
        }
        if (!rc.isOk()) {
            freeMfn(s.ioreq);
        }
        return rc;
    }

    /**
     * {@code hvm_alloc_ioreq_mfn}: a zeroed page owned by the emulator domain. Xen sets only
     * {@code iorp->page}: a gfn left behind by a dropped gfn page stays, so destroy still returns it.
     */
    private Result<Long> allocMfn(HvmIoreqServer s, ServerPage iorp) {
        if (iorp.page() != null) {
            return iorp.isGfnMapped() ? Result.err(Errno.EPERM) : Result.ok(0L);
        }
        iorp.set(memory.allocate(s.emulatorDomid), iorp.gfn());
        if (iorp == s.bufioreq && ringStart != 0) {
            iorp.bufferedPage().setPointers(ringStart, ringStart);
        }
        return Result.ok(0L);
    }

    /** {@code hvm_ioreq_server_free_pages}: buffered, then ioreq. */
    private void freePages(HvmIoreqServer s) {
        freeMfn(s.bufioreq);
        freeMfn(s.ioreq);
    }

    /** {@code hvm_free_ioreq_mfn}: drops the page reference; the gfn (if any) is left as it was. */
    private void freeMfn(ServerPage iorp) {
        Page p = iorp.page();
        if (p == null) {
            return;
        }
        if (!iorp.isGfnMapped()) {
            memory.free(p);
        }
        iorp.dropPage();
    }

    /** The domid this table belongs to. */
    int domid() {
        return domid;
    }
}
