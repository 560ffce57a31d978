package org.ioreqsim.domain;

import java.util.function.Supplier;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.Vcpu;
import org.ioreqsim.vcpu.VcpuIo;
import org.slf4j.Logger;

/**
 * Where a domain is in its life: running, shutting down ({@code domain_shutdown}), crashed
 * ({@code domain_crash}), dying and dead ({@code domain_kill}), with the reason of a crash.
 */
final class DomainRunState implements VcpuRequests.Owner {

    private final int domid;
    private final DomainVcpus vcpus;
    private final ModelTracer tracer;
    private final Supplier<Logger> log;
    private DomainState state = DomainState.RUNNING;
    private String crashReason;

    DomainRunState(int domid, DomainVcpus vcpus, ModelTracer tracer, Supplier<Logger> log) {
        this.domid = domid;
        this.vcpus = vcpus;
        this.tracer = tracer;
        this.log = log;
    }

    DomainState state() {
        return state;
    }

    String crashReason() {
        return crashReason;
    }

    /** {@code domain_crash()}: the domain stops running guest code; dm_ops still work until it is destroyed. */
    @Override
    public void crash(String reason) {
        if (state == DomainState.RUNNING || state == DomainState.SHUTTING_DOWN) {
            state = DomainState.CRASHED;
            crashReason = reason;
            log.get().info("d{} crashed: {}", domid, reason);
            if (tracer.enabled()) {
                tracer.event(new ModelEvent.DomainCrashed(domid, reason));
            }
            vcpus.tellAll(new Vcpu.DomainCrashed(reason));
        }
    }

    /** Xen's {@code d->is_shutting_down} and beyond: anything but running. */
    @Override
    public boolean shuttingDown() {
        return state != DomainState.RUNNING;
    }

    /** {@code SHUTDOWN_crash}: {@code domain_shutdown} with it clears every vCPU's deferral (domain_crash). */
    static final int SHUTDOWN_CRASH = 3;

    /**
     * {@code domain_shutdown(d, reason)} from a vCPU's {@code SCHEDOP_shutdown}: SHUTDOWN_crash is what
     * {@code domain_crash} does (no vCPU may defer it); any other reason is a shutdown that deferring
     * vCPUs hold open.
     */
    @Override
    public void shutdown(int reason) {
        if (reason == SHUTDOWN_CRASH) {
            crash("SCHEDOP_shutdown SHUTDOWN_crash");
        } else {
            shutdown();
        }
    }

    /** {@code domain_shutdown}: only a running domain starts shutting down; its vCPUs are told. */
    void shutdown() {
        if (state == DomainState.RUNNING) {
            state = DomainState.SHUTTING_DOWN;
            vcpus.tellAll(Vcpu.Shutdown.INSTANCE);
        }
    }

    /** {@code d->is_dying}: killed, or being killed. */
    boolean isDying() {
        return state == DomainState.DYING || state == DomainState.DEAD;
    }

    /** {@code domain_kill} begins. */
    void dying() {
        state = DomainState.DYING;
    }

    /** {@code domain_kill} is done. */
    void dead() {
        state = DomainState.DEAD;
    }

    /** The state as reported: a shutdown is complete once no vCPU defers it with I/O in flight. */
    DomainState reported() {
        if (state == DomainState.SHUTTING_DOWN
                && vcpus.handles().stream().noneMatch(VcpuIo::isDeferringShutdown)) {
            return DomainState.SHUTDOWN;
        }
        return state;
    }
}
