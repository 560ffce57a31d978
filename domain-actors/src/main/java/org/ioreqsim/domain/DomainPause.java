package org.ioreqsim.domain;

import java.util.HashSet;
import java.util.Set;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.Vcpu;
import org.ioreqsim.vcpu.VcpuIo;

/**
 * {@code domain_pause} / {@code domain_unpause} (xen/common/domain.c): the pause count, the toolstack's
 * own pauses, and the vCPUs that have not yet acknowledged the current pause. The first pause tells every
 * vCPU to stop and is in effect once each has acknowledged; nested pauses are in effect at once. The
 * last release lets the vCPUs run again.
 */
final class DomainPause {

    private final int domid;
    private final DomainVcpus vcpus;
    private final ModelTracer tracer;
    private final Set<Integer> awaitingAcks = new HashSet<>();
    private int count;
    private int toolstackPauses;
    private long epoch;

    DomainPause(int domid, DomainVcpus vcpus, ModelTracer tracer) {
        this.domid = domid;
        this.vcpus = vcpus;
        this.tracer = tracer;
    }

    /** {@code domain_pause}: true when the pause is in effect now, false while vCPUs are still to stop. */
    boolean pause() {
        count++;
        if (count == 1) {
            broadcast();
        }
        return awaitingAcks.isEmpty();
    }

    /** A toolstack pause ({@code XEN_DOMCTL_pausedomain}); {@link #pause()} follows. */
    void toolstackPause() {
        toolstackPauses++;
    }

    /** Creation with the domain paused: one toolstack pause held from the start. True if in effect now. */
    boolean createPaused() {
        toolstackPauses = 1;
        count = 1;
        broadcast();
        return awaitingAcks.isEmpty();
    }

    /** {@code XEN_DOMCTL_unpausedomain}: false (EINVAL) if the toolstack holds no pause. */
    boolean toolstackUnpause() {
        if (toolstackPauses == 0) {
            return false;
        }
        toolstackPauses--;
        release();
        return true;
    }

    /** {@code domain_unpause}: the last release lets the vCPUs run. */
    void release() {
        count--;
        if (count == 0) {
            trace(new ModelEvent.DomainUnpaused(domid));
            vcpus.tellAll(Vcpu.Unpause.INSTANCE);
        }
    }

    /** vCPU {@code vcpuId} stopped for pause {@code ackEpoch}: true if it was the last one awaited. */
    boolean acked(int vcpuId, long ackEpoch) {
        return ackEpoch == epoch && awaitingAcks.remove(vcpuId) && awaitingAcks.isEmpty();
    }

    /** vCPU {@code vcpuId} is gone: it will not acknowledge. */
    void forget(int vcpuId) {
        awaitingAcks.remove(vcpuId);
    }

    /** True while a first pause waits for vCPUs to stop. */
    boolean awaitingAcks() {
        return !awaitingAcks.isEmpty();
    }

    int count() {
        return count;
    }

    long epoch() {
        return epoch;
    }

    private void broadcast() {
        epoch++;
        trace(new ModelEvent.DomainPaused(domid, count));
        for (VcpuIo v : vcpus.values()) {
            awaitingAcks.add(v.vcpuId());
            v.vcpu().tell(new Vcpu.Pause(epoch));
        }
    }

    private void trace(ModelEvent e) {
        if (tracer.enabled()) {
            tracer.event(e);
        }
    }
}
