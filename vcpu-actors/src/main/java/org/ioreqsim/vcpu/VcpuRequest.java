package org.ioreqsim.vcpu;

import org.ioreqsim.ioreq.Ioreq;

/** What a vCPU asks of its domain: the parts of Xen's emulation path that need domain-wide state. */
public sealed interface VcpuRequest extends DomainMessage {

    /**
     * Run the rest of {@code hvmemul_do_io} for the request the vCPU just latched: Xen's internal
     * intercepts, server selection, the null handler or the send. The domain answers with
     * {@link Vcpu.IoHandled}, except after a send, when the emulator's wake-up is the answer.
     */
    record EmulateIo(int vcpuId, Ioreq request) implements VcpuRequest {
    }

    /** {@code send_timeoffset_req}: broadcast a buffered TIMEOFFSET; the vCPU does not wait. */
    record SendTimeoffset(int vcpuId, long offset) implements VcpuRequest {
    }

    /**
     * {@code send_invalidate_req}: broadcast a synchronous INVALIDATE to every enabled server; the vCPU
     * waits for all of them (or gets {@link Vcpu.IoHandled} if none took it).
     */
    record SendInvalidate(int vcpuId) implements VcpuRequest {
    }

    /**
     * The vCPU actor failed (an exception escaped its step: a bug, not a guest-visible crash, which is
     * {@link CrashDomain}) and stopped; {@code vcpu} is the failed actor, {@code cause} the exception. The domain
     * crashes, as it did on the child-failed signal of a watched vCPU; a vCPU reports its own failure so that the
     * domain need not watch every vCPU (Akka's death watch costs about 140 bytes per watched actor).
     */
    record VcpuFailed(int vcpuId, akka.actor.typed.ActorRef<Vcpu.Command> vcpu, String cause) implements VcpuRequest {
    }

    /**
     * The vCPU hit what Xen answers with {@code domain_crash()}. The vCPU stops running guest code and
     * waits for {@link Vcpu.DomainCrashed}, which settles its operation, so the crash is the domain's
     * state before any outcome reports it.
     */
    record CrashDomain(int vcpuId, String reason) implements VcpuRequest {
    }

    /** {@code SCHEDOP_shutdown} made by the vCPU: {@code domain_shutdown(d, reason)}. */
    record ShutdownDomain(int vcpuId, int reason) implements VcpuRequest {
    }

    /** The vCPU has stopped running guest code for the pause numbered {@code epoch}. */
    record PauseAcked(int vcpuId, long epoch) implements VcpuRequest {
    }
}
