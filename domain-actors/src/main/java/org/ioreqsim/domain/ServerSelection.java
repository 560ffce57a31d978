package org.ioreqsim.domain;

import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.trace.ModelTracer;

/**
 * A benchmark hook, outside the actor model: one domain's ioreq-server table built with the real
 * create, set_state and map_io_range code, and {@code hvm_select_ioreq_server} over it through the real
 * {@link IoreqRouting#select}. Benchmarks use it to show how selection scales with servers and ranges;
 * nothing in the model uses it.
 */
public final class ServerSelection {
    private static final int DOMID = 1;

    private final IoreqServers servers;
    private final IoreqRouting routing;

    private ServerSelection(XenOptions options) {
        EventChannelTable evtchn = new EventChannelTable(DOMID, Xen.DEFAULT_MAX_EVTCHN_PORT);
        MachineMemory memory = new MachineMemory();
        GuestPhysmap physmap = new GuestPhysmap(DOMID, memory);
        IoreqGfnPool pool = new IoreqGfnPool();
        HvmParams params = new HvmParams(pool, options);
        DomainCounters counters = new DomainCounters();
        this.servers = new IoreqServers(DOMID, evtchn, physmap, pool, params.values(), memory, options,
                new ArrayList<>(), f -> { }, ModelTracer.NONE, counters, new DomainRefs());
        this.routing = new IoreqRouting(servers, evtchn, options, false, ModelTracer.NONE, counters);
    }

    /**
     * {@code count} enabled servers (ids 0..count-1, bufioreq off, dom0's) with no ranges yet.
     *
     * @throws IllegalArgumentException if Xen refuses to create them
     */
    public static ServerSelection withServers(int count, XenOptions options) {
        ServerSelection s = new ServerSelection(options);
        for (int i = 0; i < count; i++) {
            Result<?> r = s.servers.create(Xen.DOM0, BufioreqMode.OFF.code());
            if (!r.isOk()) {
                throw new IllegalArgumentException("creating server " + i + ": " + r.describe());
            }
        }
        for (HvmIoreqServer srv : s.servers.slots) {
            if (srv != null) {
                s.servers.setState(srv, true);
            }
        }
        return s;
    }

    /** {@code map_io_range_to_ioreq_server} on server {@code id}: 0 or Xen's errno. */
    public Errno map(int id, RangeType type, long start, long end) {
        HvmIoreqServer s = servers.get(id);
        if (s == null) {
            return Errno.ENOENT;
        }
        return servers.mapRange(s, type.code(), start, end).errnoOrNull();
    }

    /** The ids of the servers, lowest first. */
    public List<Integer> ids() {
        List<Integer> out = new ArrayList<>();
        for (HvmIoreqServer s : servers.slots) {
            if (s != null) {
                out.add(s.id);
            }
        }
        return out;
    }

    /**
     * {@code hvm_select_ioreq_server} for a single guest access: the id of the server that takes it,
     * or -1 for none. {@code cf8} is the domain's latched CF8 value (PCI config data cycles).
     */
    public int select(boolean mmio, long addr, int size, long cf8) {
        Ioreq p = new Ioreq(addr, 0, 1, size, 0, IoreqState.READY, false, IoDirection.READ, false,
                mmio ? IoreqType.COPY : IoreqType.PIO);
        return select(p, cf8);
    }

    /** As {@link #select(boolean, long, int, long)} for a prepared request (benchmarks build it once). */
    public int select(Ioreq p, long cf8) {
        HvmIoreqServer s = routing.select(p, cf8);
        return s == null ? -1 : s.id;
    }
}
