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
 *
 * <p>Until a vCPU of the domain is first given guest code to run (the start, or one operation) the vCPUs
 * are down: none is running, so {@code vcpu_sleep_sync} has nothing to wait for and a pause is in effect
 * at once, without a message to any vCPU. The first {@link #wake} tells them the pause that holds, if
 * one does, ahead of the work itself.
 */
final class DomainPause {

    private final int domid;
    private final DomainVcpus vcpus;
    private final ModelTracer tracer;
    private final Set<Integer> awaitingAcks = new HashSet<>();
    private int count;
    private int toolstackPauses;
    private long epoch;
    /** A vCPU has been given guest code to run (before that they are down, and a pause need not stop them). */
    private boolean started;
    /** The vCPUs were told the current pause (and will be told the unpause). */
    private boolean vcpusHeld;

    DomainPause(int domid, DomainVcpus vcpus, ModelTracer tracer) {
        this.domid = domid;
        this.vcpus = vcpus;
        this.tracer = tracer;
    }

    /** {@code domain_pause}: true when the pause is in effect now, false while vCPUs are still to stop. */
    boolean pause() {
        count++;
        if (count == 1) {
            trace(new ModelEvent.DomainPaused(domid, count));
            if (started) {
                tellPause(true);
            }
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
        return pause();
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
            if (vcpusHeld) {
                vcpusHeld = false;
                vcpus.tellAll(Vcpu.Unpause.INSTANCE);
            }
        }
    }

    /**
     * A vCPU of the domain is about to run guest code (the vCPUs start, or one is given an operation): the
     * first time, if a pause holds, every vCPU is told it first (down, they stop at once: nothing is
     * awaited), so that each keeps its work until the unpause.
     */
    void wake() {
        if (!started && count > 0) {
            tellPause(false);
        }
        started = true;
    }

    /** A vCPU created while paused ({@code hvm_vcpu_initialise}) is held by the pause its peers were told. */
    void hold(VcpuIo v) {
        if (vcpusHeld) {
            v.vcpu().tell(new Vcpu.Pause(epoch));
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

    /** A pause holds that the vCPUs were not told (they have not been started). */
    boolean holdsUntold() {
        return count > 0 && !vcpusHeld;
    }

    int count() {
        return count;
    }

    /** Tells every vCPU a new pause; with {@code awaitAcks}, the pause is in effect once each has acknowledged. */
    private void tellPause(boolean awaitAcks) {
        epoch++;
        vcpusHeld = true;
        for (VcpuIo v : vcpus.values()) {
            if (awaitAcks) {
                awaitingAcks.add(v.vcpuId());
            }
            v.vcpu().tell(new Vcpu.Pause(epoch));
        }
    }

    private void trace(ModelEvent e) {
        if (tracer.enabled()) {
            tracer.event(e);
        }
    }
}
