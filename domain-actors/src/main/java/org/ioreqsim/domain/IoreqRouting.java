package org.ioreqsim.domain;

import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.RangeSet;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.IoreqVcpuEntry;
import org.ioreqsim.vcpu.VcpuIo;

/**
 * Server selection and sending, from ioreq.c: {@code hvm_select_ioreq_server},
 * {@code hvm_send_ioreq}, {@code hvm_send_buffered_ioreq} and {@code hvm_broadcast_ioreq}. Runs in the
 * domain actor on behalf of the vCPU that issued the request; it allocates nothing on the synchronous
 * path except a rewritten request for PCI config cycles.
 */
final class IoreqRouting {

    private final IoreqServers servers;
    private final EventChannelTable evtchn;
    private final ModelTracer tracer;
    private final int domid;
    private final DomainCounters counters;
    private final XenOptions options;
    private final boolean amdGuestFamilyDecodes;
    /** The PCI config key of the last selection, or -1 when it was not a PCI match. */
    private long selectedPciKey = -1;
    /** A test's replacement for selection, or null (Xen's). */
    private ServerSelector selector;
    private XenInspector inspector;

    /**
     * @param amdGuestFamilyDecodes the guest is AMD with {@code 0x10 < family <= 0x17} and the host's
     *                              NB_CFG enables extended CF8 (only consulted with {@code amdExtendedCf8})
     */
    IoreqRouting(IoreqServers servers, EventChannelTable evtchn, XenOptions options, boolean amdGuestFamilyDecodes,
                 ModelTracer tracer, DomainCounters counters) {
        this.counters = counters;
        this.servers = servers;
        this.evtchn = evtchn;
        this.tracer = tracer;
        this.domid = servers.domid();
        this.options = options;
        this.amdGuestFamilyDecodes = amdGuestFamilyDecodes;
    }

    /** Routes through {@code s} instead of Xen's selection (tests); {@code null} restores Xen's. */
    void replaceSelection(ServerSelector s, XenInspector view) {
        this.selector = s;
        this.inspector = view;
    }

    /**
     * {@code hvm_select_ioreq_server}: decide the range type and key once (a CF8-enabled data cycle at
     * 0xCFC..0xCFF is matched against PCI ranges only), then scan enabled servers 7 down to 0 for one
     * range containing the whole access. Pre-seed, the default server takes what nobody claims.
     */
    HvmIoreqServer select(Ioreq p, long cf8) {
        selectedPciKey = -1;
        if (selector != null) {
            ServerSelector.Selection c = selector.select(inspector, p, cf8);
            selectedPciKey = c.pciKey();
            return c.serverId() < 0 ? null : servers.get(c.serverId());
        }
        HvmIoreqServer[] slots = servers.slots;
        HvmIoreqServer fallback = options.legacyDefaultServer() ? slots[0] : null;
        if (fallback != null && !fallback.isDefault) {
            fallback = null;
        }
        if (p.type() != IoreqType.COPY && p.type() != IoreqType.PIO) {
            return fallback;
        }
        RangeType type;
        long start;
        long end;
        long key = 0;
        if (p.type() == IoreqType.PIO && (p.addr() & ~3L) == Xen.PCI_CFC && Pci.cf8Enabled(cf8)) {
            type = RangeType.PCI;
            long reg = Pci.decodeRegister(cf8, p.addr());
            if (options.amdExtendedCf8() && amdGuestFamilyDecodes && Pci.cf8AddrHi(cf8) != 0) {
                reg |= Pci.cf8AddrHi(cf8);
            }
            key = Pci.configKey(Pci.cf8Bdf(cf8), reg);
            start = key >>> 32;
            end = start;
        } else if (p.type() == IoreqType.PIO) {
            type = RangeType.PORT;
            start = p.addr();
            end = start + p.size() - 1;
        } else {
            type = RangeType.MEMORY;
            start = p.firstByte();
            end = p.lastByte();
        }
        for (int id = slots.length - 1; id >= 0; id--) {
            HvmIoreqServer s = slots[id];
            if (s == null || !s.enabled || s.isDefault) {
                continue;
            }
            RangeSet r = s.ranges(type);
            if (r.containsRange(start, end)) {
                if (type == RangeType.PCI) {
                    selectedPciKey = key;
                }
                return s;
            }
        }
        return fallback != null && fallback.enabled ? fallback : null;
    }

    /** The request as the selected server must see it: PCI config cycles are rewritten. */
    Ioreq rewriteForSelected(Ioreq p) {
        return selectedPciKey < 0 ? p : p.asPciConfig(selectedPciKey);
    }

    /**
     * {@code hvm_send_ioreq(s, p, false)}: RETRY without sending if the domain is shutting down and the
     * vCPU does not already defer the shutdown ({@code vcpu_start_shutdown_deferral} succeeds for a vCPU
     * that defers it, for example after a refused send, whose deferral nothing has ended); no
     * entry for the vCPU, a slot not NONE ("device model set bad IO state") or a changed vp_eport ("bad
     * event channel") is UNHANDLEABLE; else publish the request READY, notify, and return RETRY.
     */
    IoStatus send(HvmIoreqServer s, VcpuIo vio, Ioreq p, boolean shuttingDown) {
        if (shuttingDown && !vio.isDeferringShutdown()) {
            return notSent(s, vio, IoStatus.RETRY, "domain shutting down");
        }
        vio.startShutdownDeferral();
        IoreqVcpuEntry e = s.entry(vio.vcpuId());
        if (e == null) {
            return notSent(s, vio, IoStatus.UNHANDLEABLE, "no entry for the vCPU");
        }
        IoreqPage slots = s.ioreq.ioreqPage();
        if (slots == null) {
            throw new HypervisorFault("send to server " + s.id + " which has no ioreq page (H12)");
        }
        int v = vio.vcpuId();
        if (slots.state(v) != IoreqState.NONE) {
            return notSent(s, vio, IoStatus.UNHANDLEABLE, "device model set bad IO state " + slots.state(v));
        }
        if (slots.vpEport(v) != e.ioreqPort()) {
            return notSent(s, vio, IoStatus.UNHANDLEABLE, "device model set bad event channel " + slots.vpEport(v));
        }
        e.setPending(true);
        vio.markSentToServer();
        slots.store(v, p, e.ioreqPort(), IoreqState.READY);
        if (tracer.enabled()) {
            tracer.event(new ModelEvent.IoreqSent(domid, v, s.id, p.withPortAndState(e.ioreqPort(), IoreqState.READY)));
        }
        evtchn.notifyViaXen(e.ioreqPort());
        return IoStatus.RETRY;
    }

    private IoStatus notSent(HvmIoreqServer s, VcpuIo vio, IoStatus status, String reason) {
        if (tracer.enabled()) {
            tracer.event(new ModelEvent.IoreqNotSent(domid, vio.vcpuId(), s.id, status, reason));
        }
        return status;
    }

    private IoStatus bufferedNotSent(HvmIoreqServer s, IoStatus status, String reason) {
        if (tracer.enabled()) {
            tracer.event(new ModelEvent.BufferedNotSent(domid, s.id, reason));
        }
        return status;
    }

    /**
     * {@code hvm_send_buffered_ioreq}: no buffered page is UNHANDLEABLE; an unbufferable request is
     * silently dropped with OKAY (H5, unless {@code fixBufferedDropClaim}); a full ring
     * ({@code wp - rp >= 511 - qw}) is UNHANDLEABLE; else write the slot(s), publish, canonicalise the
     * pointers in ATOMIC mode, notify.
     */
    IoStatus sendBuffered(HvmIoreqServer s, Ioreq p) {
        BufferedIoreqPage pg = s.bufioreq.bufferedPage();
        HvmIoreqServer.BufferedStats st = s.buffered;
        if (pg == null) {
            return bufferedNotSent(s, IoStatus.UNHANDLEABLE, "no buffered page");
        }
        if (Long.compareUnsigned(p.addr(), Xen.BUFIOREQ_ADDR_LIMIT) > 0 || p.dataIsPtr() || p.count() != 1) {
            st.droppedUnbufferable++;
            return bufferedNotSent(s, options.fixBufferedDropClaim() ? IoStatus.UNHANDLEABLE : IoStatus.OKAY,
                    "unbufferable request dropped (H5)");
        }
        int sizeCode = switch ((int) p.size()) {
            case 1 -> 0;
            case 2 -> 1;
            case 4 -> 2;
            case 8 -> 3;
            default -> -1;
        };
        if (sizeCode < 0) {
            return bufferedNotSent(s, IoStatus.UNHANDLEABLE, "unexpected ioreq size " + p.size());
        }
        int qw = sizeCode == 3 ? 1 : 0;
        long ptrs = pg.pointers();
        long used = BufferedIoreqPage.used(ptrs);
        if (used >= Xen.IOREQ_BUFFER_SLOT_NUM - qw) {
            st.fullFallbacks++;
            return bufferedNotSent(s, IoStatus.UNHANDLEABLE, "ring full");
        }
        int wp = BufferedIoreqPage.writePointerOf(ptrs);
        long header = BufferedIoreqPage.encodeSlot(p.type().code(), p.dir().code(), sizeCode, p.addr(), 0);
        pg.setSlotAt(wp, header | ((p.data() & 0xFFFFFFFFL) << 32));
        if (qw == 1) {
            pg.setSlotAt(wp + 1, header | ((p.data() >>> 32) << 32));
        }
        pg.setWritePointer(wp + 1 + qw);
        st.submitted++;
        st.slots += 1 + qw;
        st.highWater = Math.max(st.highWater, used + 1 + qw);
        if (s.bufioreqMode == org.ioreqsim.ioreq.BufioreqMode.ATOMIC) {
            canonicalise(pg, qw);
        }
        if (tracer.enabled()) {
            long after = pg.pointers();
            tracer.event(new ModelEvent.BufferedSent(domid, s.id, 1 + qw, BufferedIoreqPage.readPointerOf(after),
                    BufferedIoreqPage.writePointerOf(after)));
        }
        evtchn.notifyViaXen(s.bufioreqEvtchn);
        return IoStatus.OKAY;
    }

    /** ATOMIC mode: pull both pointers back below 511 with a 64-bit CAS, retrying if the emulator moved. */
    private static void canonicalise(BufferedIoreqPage pg, int qw) {
        int attempts = qw;
        while (attempts++ < Xen.IOREQ_BUFFER_SLOT_NUM) {
            long old = pg.pointers();
            long rp = BufferedIoreqPage.readPointerOf(old) & 0xFFFFFFFFL;
            if (rp < Xen.IOREQ_BUFFER_SLOT_NUM) {
                return;
            }
            long n = rp / Xen.IOREQ_BUFFER_SLOT_NUM;
            long wp = BufferedIoreqPage.writePointerOf(old) & 0xFFFFFFFFL;
            pg.compareAndSetPointers(old, BufferedIoreqPage.pointersOf((int) (rp - Xen.IOREQ_BUFFER_SLOT_NUM * n),
                    (int) (wp - Xen.IOREQ_BUFFER_SLOT_NUM * n)));
        }
    }

    /**
     * {@code hvm_broadcast_ioreq}: send to every enabled server, 7 down to 0, and count those that
     * answered UNHANDLEABLE. With {@code skipNonBufferedInBroadcast} (a44734df6c) a buffered broadcast
     * skips bufioreq-OFF servers.
     */
    int broadcast(Ioreq p, boolean buffered, VcpuIo vio, boolean shuttingDown) {
        int failed = 0;
        HvmIoreqServer[] slots = servers.slots;
        for (int id = slots.length - 1; id >= 0; id--) {
            HvmIoreqServer s = slots[id];
            if (s == null || !s.enabled) {
                continue;
            }
            if (buffered && options.skipNonBufferedInBroadcast() && !s.handlesBuffered()) {
                continue;
            }
            IoStatus rc = buffered ? sendBuffered(s, p) : send(s, vio, p, shuttingDown);
            if (rc == IoStatus.UNHANDLEABLE) {
                failed++;
                if (p.type() == IoreqType.TIMEOFFSET) {
                    s.buffered.timeoffsetLost++;
                    counters.timeoffsetLost++;
                }
            }
        }
        return failed;
    }
}
