package org.ioreqsim.domain;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.DomainMessage;
import org.ioreqsim.vcpu.Vcpu;
import org.ioreqsim.vcpu.VcpuIo;
import org.ioreqsim.vcpu.VcpuRequest;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What a domain does for its vCPUs' requests, in running and pausing alike (a vCPU already inside Xen
 * finishes its step): the rest of {@code hvmemul_do_io} ({@link Emulation}), {@code send_timeoffset_req},
 * {@code send_invalidate_req} and {@code domain_crash()}. Holds the domain's CF8 latch
 * ({@code d->arch.hvm.pci_cf8}). A hypervisor fault on these paths crashes the domain, not the host.
 */
final class VcpuRequests {

    /** The domain's state these paths read and change. */
    interface Owner {
        /** {@code domain_crash()}. */
        void crash(String reason);

        /** {@code domain_shutdown(d, reason)} asked by a vCPU ({@code SCHEDOP_shutdown}). */
        void shutdown(int reason);

        boolean shuttingDown();
    }

    private final int domid;
    private final DomainVcpus vcpus;
    private final Emulation emulation;
    private final IoreqRouting routing;
    private final List<String> findings;
    private final ModelTracer tracer;
    private final Supplier<Logger> log;
    private final Owner owner;
    private final EmulationContext emulationContext = new EmulationContext();
    private long pciCf8;

    VcpuRequests(int domid, DomainVcpus vcpus, Emulation emulation, IoreqRouting routing, List<String> findings,
                 ModelTracer tracer, Supplier<Logger> log, Owner owner) {
        this.domid = domid;
        this.vcpus = vcpus;
        this.emulation = emulation;
        this.routing = routing;
        this.findings = findings;
        this.tracer = tracer;
        this.log = log;
        this.owner = owner;
    }

    long pciCf8() {
        return pciCf8;
    }

    Behavior<DomainMessage> onEmulateIo(VcpuRequest.EmulateIo m) {
        VcpuIo v = vcpus.get(m.vcpuId());
        if (v == null) {
            return Behaviors.same();
        }
        Vcpu.Command reply;
        try {
            reply = emulation.emulate(v, m.request(), emulationContext);
        } catch (HypervisorFault fault) {
            hypervisorFault(fault);
            reply = new Vcpu.IoHandled(IoStatus.UNHANDLEABLE, 0, 0, Route.NOWHERE, false);
        }
        if (reply != null) {
            v.vcpu().tell(reply);
        }
        return Behaviors.same();
    }

    /** {@code send_timeoffset_req}: a buffered broadcast; failures are logged and not retried. */
    Behavior<DomainMessage> onSendTimeoffset(VcpuRequest.SendTimeoffset m) {
        VcpuIo v = vcpus.get(m.vcpuId());
        Ioreq p = new Ioreq(0, m.offset(), 1, 8, 0, IoreqState.READY, false, IoDirection.WRITE, false,
                IoreqType.TIMEOFFSET);
        if (v != null && routing.broadcast(p, true, v, owner.shuttingDown()) != 0) {
            log.get().info("d{}: Unsuccessful timeoffset update", domid);
            findings.add("Unsuccessful timeoffset update");
        }
        return Behaviors.same();
    }

    /** {@code send_invalidate_req}: synchronous to every enabled server; the vCPU waits for all. */
    Behavior<DomainMessage> onSendInvalidate(VcpuRequest.SendInvalidate m) {
        VcpuIo v = vcpus.get(m.vcpuId());
        if (v == null) {
            return Behaviors.same();
        }
        Ioreq p = new Ioreq(0, ~0L, 0, 4, 0, IoreqState.READY, false, IoDirection.WRITE, false,
                IoreqType.INVALIDATE);
        VcpuIo io = v;
        try {
            if (routing.broadcast(p, false, io, owner.shuttingDown()) != 0) {
                log.get().info("d{}: Unsuccessful map-cache invalidate", domid);
            }
        } catch (HypervisorFault fault) {
            hypervisorFault(fault);
        }
        if (!io.isSentToServer()) {
            v.vcpu().tell(new Vcpu.IoHandled(IoStatus.OKAY, 0, 0, Route.BROADCAST_ROUTE, false));
        }
        return Behaviors.same();
    }

    /** {@code do_sched_op(SCHEDOP_shutdown)}: {@code domain_shutdown(d, reason)}. */
    Behavior<DomainMessage> onShutdownDomain(VcpuRequest.ShutdownDomain m) {
        owner.shutdown(m.reason());
        return Behaviors.same();
    }

    Behavior<DomainMessage> onCrashDomain(VcpuRequest.CrashDomain m) {
        owner.crash(m.reason());
        return Behaviors.same();
    }

    /** A Xen {@code BUG}/{@code ASSERT} the model reached: recorded, and the domain crashes. */
    void hypervisorFault(HypervisorFault fault) {
        if (tracer.enabled()) {
            tracer.event(new ModelEvent.HypervisorFault(domid, fault.getMessage()));
        }
        findings.add("HYPERVISOR_FAULT: " + fault.getMessage());
        owner.crash("HYPERVISOR_FAULT: " + fault.getMessage());
    }

    /** Domain state reached by the intercepts. */
    private final class EmulationContext implements Emulation.Context {
        @Override
        public void latchCf8(long value) {
            pciCf8 = value;
        }

        @Override
        public long cf8() {
            return pciCf8;
        }

        @Override
        public IoStatus sendBufferedVgaWrite(long addr, int size, long value) {
            return emulation.sendBufferedVgaWrite(addr, size, value, this);
        }

        @Override
        public void crash(String reason) {
            owner.crash(reason);
        }

        @Override
        public boolean shuttingDown() {
            return owner.shuttingDown();
        }
    }
}
