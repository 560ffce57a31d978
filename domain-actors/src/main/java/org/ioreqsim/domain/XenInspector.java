package org.ioreqsim.domain;

import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.vcpu.VcpuIo;

/**
 * A read-only window on one domain's Xen-side ioreq state — the server table, the vCPUs' emulation
 * state, the gfn pool, the physmap, the CF8 latch, pause — for monitors that check the spec's rules
 * directly rather than through the model's own reports. Each domain publishes one on its host when it
 * is created ({@link XenInspections}).
 *
 * <p>Reads are plain reads of the domain actor's state: they are meaningful only while the actor is
 * not running, that is between the steps of a controlled run (or inside a model event the actor
 * reports), or once a free run is quiescent. Nothing here changes the model.
 */
public final class XenInspector {

    /** What the domain actor lends the inspector. */
    interface Source {
        DomainState state();

        int pauseCount();

        /** Every vCPU has acknowledged the current pause. */
        boolean pauseInEffect();

        long pciCf8();

        List<Integer> vcpuIds();

        /** The live vCPU's emulation state, or {@code null}. */
        VcpuIo vcpu(int vcpuId);
    }

    private final int domid;
    private final Source source;
    private final IoreqServers servers;
    private final IoreqGfnPool pool;
    private final HvmParams params;
    private final GuestPhysmap physmap;
    private final EventChannelTable evtchn;
    private final P2mTypes p2m;
    private final ServerView[] views = new ServerView[Xen.MAX_NR_IOREQ_SERVERS];

    XenInspector(int domid, Source source, IoreqServers servers, IoreqGfnPool pool, HvmParams params,
                 GuestPhysmap physmap, EventChannelTable evtchn, P2mTypes p2m) {
        this.domid = domid;
        this.p2m = p2m;
        this.source = source;
        this.servers = servers;
        this.pool = pool;
        this.params = params;
        this.physmap = physmap;
        this.evtchn = evtchn;
    }

    public int domid() {
        return domid;
    }

    public DomainState state() {
        return source.state();
    }

    /** Nested pauses in force ({@code domain_pause} count, toolstack pauses included). */
    public int pauseCount() {
        return source.pauseCount();
    }

    /** A pause is in force and every vCPU has stopped running guest code for it. */
    public boolean pauseInEffect() {
        return source.pauseInEffect();
    }

    /** {@code d->arch.hvm.pci_cf8}. */
    public long pciCf8() {
        return source.pciCf8();
    }

    /** The live vCPUs, by id. */
    public List<Integer> vcpuIds() {
        return source.vcpuIds();
    }

    /** Whether vCPU {@code vcpuId} is live. */
    public boolean hasVcpu(int vcpuId) {
        return source.vcpu(vcpuId) != null;
    }

    /** The vCPU's latched request ({@code vio->io_req}), or {@code null} if the vCPU is not live. */
    public Ioreq latched(int vcpuId) {
        VcpuIo io = source.vcpu(vcpuId);
        return io == null ? null : io.latched();
    }

    /** The vCPU sent a request to a server and has not yet completed it (it is blocked in Xen). */
    public boolean sentToServer(int vcpuId) {
        VcpuIo io = source.vcpu(vcpuId);
        return io != null && io.isSentToServer();
    }

    /** The vCPU's shutdown deferral is active. */
    public boolean deferringShutdown(int vcpuId) {
        VcpuIo io = source.vcpu(vcpuId);
        return io != null && io.isDeferringShutdown();
    }

    /** Whether the vCPU itself holds an entry of server {@code serverId} (one its completion walks). */
    public boolean vcpuHasEntry(int vcpuId, int serverId) {
        VcpuIo io = source.vcpu(vcpuId);
        return io != null && io.entry(serverId) != null;
    }

    /** Ids of the servers the vCPU itself holds an entry for (what its completion walks), highest first. */
    public List<Integer> vcpuEntryServers(int vcpuId) {
        VcpuIo io = source.vcpu(vcpuId);
        List<Integer> out = new ArrayList<>();
        for (int id = Xen.MAX_NR_IOREQ_SERVERS - 1; io != null && id >= 0; id--) {
            if (io.entry(id) != null) {
                out.add(id);
            }
        }
        return out;
    }

    /** The server in slot {@code id}, or {@code null} if the slot is empty. */
    public ServerView server(int id) {
        HvmIoreqServer s = servers.get(id);
        if (s == null) {
            return null;
        }
        ServerView v = views[id];
        if (v == null || !v.wraps(s)) {
            v = new ServerView(s, source::vcpu);
            views[id] = v;
        }
        return v;
    }

    /** {@code d->arch.hvm.ioreq_gfn.base}. */
    public long gfnPoolBase() {
        return pool.base();
    }

    /** {@code d->arch.hvm.ioreq_gfn.mask}: bit i set means gfn {@code base + i} is free. */
    public long gfnPoolMask() {
        return pool.mask();
    }

    /** Whether {@code gfn} is populated guest RAM (in the guest physmap). */
    public boolean isGuestRam(long gfn) {
        return physmap.isPopulatedGfn(gfn);
    }

    /** The stored value of HVM param {@code index}. */
    public long param(int index) {
        return params.get(index);
    }

    /** The id of the server that claimed HVMMEM_ioreq_server, or -1. */
    public int memTypeOwner() {
        return servers.memTypeOwner();
    }

    /**
     * A gfn's memory type as {@code HVMOP_get_mem_type} reports it: {@code ram_rw}, {@code ram_ro},
     * {@code mmio_dm} (MMIO and holes) or {@code ioreq_server}.
     */
    public String memType(long gfn) {
        return p2m.hvmmemName(gfn);
    }

    /** {@code p2m->ioreq.entry_count}: gfns of type p2m_ioreq_server. */
    public int ioreqServerEntries() {
        return p2m.ioreqEntryCount();
    }

    /** The domain's event-channel table. */
    public EventChannelTable eventChannels() {
        return evtchn;
    }
}
