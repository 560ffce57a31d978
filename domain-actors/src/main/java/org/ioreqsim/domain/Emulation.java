package org.ioreqsim.domain;

import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.Vcpu;
import org.ioreqsim.vcpu.VcpuIo;

/**
 * The domain-wide part of {@code hvmemul_do_io} (xen/arch/x86/hvm/emulate.c), steps 6 to 8 of spec
 * section 5: Xen's internal intercepts first, then server selection, then the null handler or the
 * send. The vCPU has already done steps 1 to 5 and latched the request.
 */
final class Emulation {

    /** Domain state the intercepts reach. */
    interface Context {
        /** {@code d->arch.hvm.pci_cf8 = value}. */
        void latchCf8(long value);

        long cf8();

        /** stdvga's write: select a server by MEMORY ranges and send buffered; UNHANDLEABLE falls back. */
        IoStatus sendBufferedVgaWrite(long addr, int size, long value);

        /** {@code domain_crash()}. */
        void crash(String reason);

        boolean shuttingDown();
    }

    /** The null handler: reads are all ones, writes are discarded, every rep is consumed. */
    private static final InternalIntercepts.Handler NULL_HANDLER =
            new InternalIntercepts.Handler("null", false, 0, -1L) {
                @Override
                IoStatus read(long addr, int size, long[] value, Context ctx) {
                    value[0] = ~0L;
                    return IoStatus.OKAY;
                }

                @Override
                IoStatus write(long addr, int size, long value, Context ctx) {
                    return IoStatus.OKAY;
                }
            };

    /** Where a read of a {@code p2m_ioreq_server} page is handled: Xen's {@code ioreq_server_handler}. */
    static final Route RAM_ROUTE = Route.xen("ram");

    /** The p2m types and the server that claimed {@code p2m_ioreq_server} ({@code p2m_get_ioreq_server}). */
    record MemTypeServer(P2mTypes p2m, IoreqServers servers) {
        /** The claiming server, or {@code null}. */
        HvmIoreqServer owner() {
            int id = servers.memTypeOwner();
            return id < 0 ? null : servers.get(id);
        }
    }

    private final InternalIntercepts intercepts;
    private final MemTypeServer memType;
    private final IoreqRouting routing;
    private final GuestPhysmap physmap;
    private final Route[] serverRoutes;
    /** The server stdvga's last buffered write went to. */
    private Route lastVgaRoute = Route.NOWHERE;

    private final int domid;
    private final ModelTracer tracer;

    Emulation(int domid, InternalIntercepts intercepts, IoreqRouting routing, GuestPhysmap physmap,
              Route[] serverRoutes, ModelTracer tracer, MemTypeServer memType) {
        this.domid = domid;
        this.memType = memType;
        this.tracer = tracer;
        this.intercepts = intercepts;
        this.routing = routing;
        this.physmap = physmap;
        this.serverRoutes = serverRoutes;
    }

    /**
     * Runs the request; returns the vCPU's answer, or {@code null} when it was sent to a server (the
     * emulator's wake-up will answer).
     */
    Vcpu.Command emulate(VcpuIo vio, Ioreq p, Context ctx) {
        Vcpu.IoHandled reply = route(vio, p, ctx);
        if (reply == REEXECUTE) {
            return Vcpu.Reexecute.INSTANCE;
        }
        if (reply != null && tracer.enabled()) {
            tracer.event(new ModelEvent.IoreqHandled(domid, vio.vcpuId(), reply.route().key(), reply.status()));
        }
        return reply;
    }

    /** {@code route}'s answer for X86EMUL_RETRY with nothing sent: the instruction runs again. */
    private static final Vcpu.IoHandled REEXECUTE = new Vcpu.IoHandled(IoStatus.RETRY, 0, 0, Route.NOWHERE, false);

    private Vcpu.IoHandled route(VcpuIo vio, Ioreq p, Context ctx) {
        InternalIntercepts.Processed r = intercepts.intercept(p, physmap, ctx);
        Ioreq req = p;
        if (r != null) {
            vio.setLatchedCount(r.count());
            if (r.status() == IoStatus.OKAY) {
                vio.clearLatched();
                boolean buffered = r.route() == InternalIntercepts.Stdvga.ROUTE;
                return new Vcpu.IoHandled(IoStatus.OKAY, r.data(), r.count(), buffered ? lastVgaRoute : r.route(),
                        buffered);
            }
            req = p.withCount(r.count());
        }
        HvmIoreqServer s = null;
        if (req.type() == IoreqType.COPY && memType.p2m().isIoreqServer(req.addr() >>> 12)) {
            // step 8a: a p2m_ioreq_server page. No claim (a race with the unmap): retry the instruction;
            // a read comes from RAM; a write goes to the claiming server, enabled or not.
            s = memType.owner();
            if (s == null) {
                vio.clearLatched();
                return REEXECUTE;
            }
            if (req.isRead()) {
                vio.clearLatched();
                return readRam(req);
            }
        }
        if (s == null) {
            s = routing.select(req, ctx.cf8());
        }
        if (s == null) {
            InternalIntercepts.Processed n = InternalIntercepts.process(NULL_HANDLER, req, physmap, ctx);
            vio.clearLatched();
            return new Vcpu.IoHandled(IoStatus.OKAY, n.data(), n.count(), Route.NULL_HANDLER, false);
        }
        // RETRY is "sent, wait for the emulator", except when the shutdown refused the send (a vCPU that
        // already defers it still sends: vcpu_start_shutdown_deferral succeeds for it)
        boolean refusable = ctx.shuttingDown() && !vio.isDeferringShutdown();
        IoStatus rc = routing.send(s, vio, routing.rewriteForSelected(req), ctx.shuttingDown());
        if (rc == IoStatus.RETRY && !refusable) {
            return null;
        }
        vio.clearLatched();
        return new Vcpu.IoHandled(rc, 0, req.count(), serverRoutes[s.id], false);
    }

    /**
     * {@code hvm_process_io_intercept(&ioreq_server_handler, p)} for a read (part of a read-modify-write
     * instruction): each rep's {@code mem_read} copies from the guest page at the MMIO address, into the
     * guest buffer for a pointer request; every rep is done.
     */
    private Vcpu.IoHandled readRam(Ioreq p) {
        long step = p.df() ? -p.size() : p.size();
        int size = (int) p.size();
        long data = 0;
        for (long i = 0; i < p.count(); i++) {
            long v = physmap.read(p.addr() + step * i, size);
            if (p.dataIsPtr()) {
                physmap.write(p.data() + step * i, size, v);
            } else {
                data = v;
            }
        }
        return new Vcpu.IoHandled(IoStatus.OKAY, data, p.count(), RAM_ROUTE, false);
    }

    /**
     * {@code stdvga_mem_write}'s send: a fresh single-write COPY request, selected by MEMORY ranges and
     * sent buffered. UNHANDLEABLE (no server, no ring, ring full) makes the write fall back to the
     * synchronous path.
     */
    IoStatus sendBufferedVgaWrite(long addr, int size, long value, Context ctx) {
        Ioreq q = new Ioreq(addr, value, 1, size, 0, IoreqState.READY, false, IoDirection.WRITE, false,
                IoreqType.COPY);
        HvmIoreqServer s = routing.select(q, ctx.cf8());
        if (s == null) {
            return IoStatus.UNHANDLEABLE;
        }
        lastVgaRoute = serverRoutes[s.id];
        return routing.sendBuffered(s, q);
    }
}
