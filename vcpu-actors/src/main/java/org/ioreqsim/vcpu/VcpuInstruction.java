package org.ioreqsim.vcpu;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ExtensibleBehavior;
import java.util.List;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.device.IoDevice;
import org.ioreqsim.ioreq.trace.ModelEvent;

/**
 * The instruction a {@link Vcpu} is emulating: Xen's {@code x86_emulate}/{@code hvmemul} side of the
 * vCPU. An access's passes ({@code handle_pio}/{@code handle_mmio}, a rep instruction's re-entry with
 * the rest of its reps through {@link RepString}), completion's re-execution
 * ({@code io_completion}), and the {@link Outcome} the operation ends with, including where a port
 * read's data lands in RAX.
 *
 * <p>One per vCPU, made with it and reused by every operation: the hot path allocates nothing here
 * (the {@link Outcome} is built for a script's reply, or by a workload that keeps it). The vCPU actor
 * keeps the phase, pausing, timers and the choice of the next operation; this class tells it when the
 * instruction waits in Xen ({@link Vcpu#inXen()}), when it has ended ({@link Vcpu#idle()}), and asks it
 * before re-entering whether a shutdown stopped it ({@link Vcpu#stoppedByShutdown()}). A {@link DomainCrash} raised here ends the vCPU's step as before.
 *
 * <p>The {@link Vcpu}'s base class rather than an object of its own: there is one per vCPU, up to
 * millions, and a separate instance cost each of them a header, a back reference and copies of the
 * vCPU's state and workload references (32 bytes per vCPU).
 */
abstract class VcpuInstruction extends ExtensibleBehavior<Vcpu.Command> {

    final VcpuIo io;
    final Workload workload;
    /** The domain's route for each server slot (shared, so vCPUs allocate none). */
    private final List<Route> serverRoutes;
    private GuestOp current;
    /** The access the current pass emulates: {@code current} itself unless it is a rep instruction. */
    private GuestOp.Io pass;
    /** A rep instruction's progress across passes; created on the first (most vCPUs never run one). */
    private RepString rep;
    private ActorRef<Outcome> currentReply;
    /** Operations ended; the one started and not ended is {@code current} (so none is counted twice). */
    private long completed;
    /** The guest's RAX, where a port read's data lands ({@code handle_pio}). */
    private long rax;

    VcpuInstruction(VcpuIo io, Workload workload, List<Route> serverRoutes) {
        this.io = io;
        this.workload = workload;
        this.serverRoutes = serverRoutes;
    }

    /** The instruction waits in Xen: for the domain's answer, an emulator, or its re-execution. */
    abstract void inXen();

    /** The instruction's access goes to the domain ({@code hvmemul_do_io}'s send). */
    abstract void emulateIo(Ioreq request);

    /** The operation in flight ended. */
    abstract void idle();

    /** A shutdown that this vCPU does not defer stops it before it runs more guest code. */
    abstract boolean stoppedByShutdown();

    /** The operation in flight, or null. */
    GuestOp current() {
        return current;
    }

    /** Whether an access's pass is in flight (a Send or a re-execution pending), not another operation. */
    boolean hasPass() {
        return pass != null;
    }

    /** Operations ended. */
    long completed() {
        return completed;
    }

    long rax() {
        return rax;
    }

    /** Makes {@code op} the operation in flight; its outcome goes to {@code replyTo}, or the workload when null. */
    void take(GuestOp op, ActorRef<Outcome> replyTo) {
        current = op;
        currentReply = replyTo;
    }

    /** An instruction's access starts: its first pass (the access itself unless it is a rep one). */
    void startAccess(GuestOp.Io access) {
        if (RepString.needed(access)) {
            if (rep == null) {
                rep = new RepString();
            }
            rep.start(access, io.memory());
            pass = rep.pass();
        } else {
            pass = access;
        }
        beginPass();
    }

    /** {@code handle_pio} / {@code handle_mmio}: begin this pass's access and hand it to the domain. */
    void beginPass() {
        GuestOp.Io access = pass;
        int start = io.start(access);
        if (start == VcpuIo.SEND) {
            Ioreq request = io.latched();
            io.setIoCompletion(request.needsCompletion()
                    ? (access.mmio() ? IoCompletion.MMIO : IoCompletion.PIO) : IoCompletion.NONE);
            inXen();
            emulateIo(request);
        } else if (start == VcpuIo.REEXECUTED) {
            passDone(io.latchedData(), io.latchedCount(), Route.NOWHERE, false);
        } else {
            inXen();
            emulationFailure(Route.NOWHERE);
        }
    }

    /**
     * A pass did {@code reps}: a single access is done; a rep instruction retires them
     * ({@code put_rep_prefix}) and, while reps remain, runs again with the rest as a new request
     * (unless the domain's shutdown stopped the vCPU in between).
     */
    void passDone(long data, long reps, Route route, boolean buffered) {
        if (!(current instanceof GuestOp.Io access) || !RepString.needed(access)) {
            finish(Outcome.Kind.DONE, valueOf(data), reps, route, buffered, 1);
            return;
        }
        if (!rep.retire(reps, data, io.memory())) {
            finish(Outcome.Kind.DONE, valueOf(data), rep.done(), route, buffered, rep.passes());
            return;
        }
        if (!stoppedByShutdown()) {
            pass = rep.pass();
            beginPass();
        }
    }

    /**
     * After completion: re-run the instruction if a response was latched ({@code io_completion}),
     * which consumes it; a latched state left READY (hazard H1) fails the re-execution.
     */
    void afterCompletion() {
        IoCompletion completion = io.ioCompletion();
        io.setIoCompletion(IoCompletion.NONE);
        Route route = serverRoute();
        if (!(current instanceof GuestOp.Io)) {
            finish(Outcome.Kind.DONE, 0, io.latchedCount(), route, false, 1);
            return;
        }
        if (completion == IoCompletion.NONE) {
            passDone(0, io.latchedCount(), route, false);
            return;
        }
        if (io.start(pass) == VcpuIo.REEXECUTED) {
            passDone(io.latchedData(), io.latchedCount(), route, false);
        } else {
            emulationFailure(route);
        }
    }

    /** PIO emulation failure crashes the domain; MMIO failure injects #GP(0). */
    void emulationFailure(Route route) {
        if (current instanceof GuestOp.Io access && access.mmio()) {
            finish(Outcome.Kind.GP_FAULT, 0, 0, route, false, 1);
            return;
        }
        throw new DomainCrash("Weird HVM ioemulation status (PIO emulation failure)");
    }

    /** The operation in flight ended: the vCPU is idle, and the outcome goes to the script or the workload. */
    void finish(Outcome.Kind kind, long value, long reps, Route route, boolean buffered, int passes) {
        GuestOp op = current;
        ActorRef<Outcome> reply = currentReply;
        current = null;
        pass = null;
        currentReply = null;
        idle();
        completed++;
        if (kind == Outcome.Kind.DONE && op instanceof GuestOp.Io a && !a.mmio() && a.isRead() && !a.dataIsPtr()) {
            rax = pioReadIntoRax(rax, value, a.size());
        }
        java.util.Objects.requireNonNull(op, "op"); // as the Outcome's constructor checks, built or not
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(route, "route");
        if (io.tracer().enabled() && !(op instanceof GuestOp.Think)) {
            io.tracer().event(new ModelEvent.OperationEnded(io.domid(), io.vcpuId(), kind.name(), route.key()));
        }
        if (reply != null) {
            reply.tell(new Outcome(op, kind, value, reps, route, buffered, passes));
        } else {
            workload.completed(op, kind, value, reps, route, buffered, passes);
        }
    }

    /** {@link #finish} for an operation that ended without I/O data. */
    void done(Route route) {
        finish(Outcome.Kind.DONE, 0, 0, route, false, 1);
    }

    /**
     * {@code handle_pio} for IN: a 4-byte read zero-extends into RAX ("Needs zero extension"), a 1- or
     * 2-byte read replaces only the low bytes ({@code memcpy(&regs->rax, &data, size)}).
     */
    static long pioReadIntoRax(long rax, long data, int size) {
        if (size == 4) {
            return data & 0xFFFFFFFFL;
        }
        long mask = size >= 8 ? -1L : (1L << (8 * size)) - 1;
        return (rax & ~mask) | (data & mask);
    }

    private long valueOf(long data) {
        return current instanceof GuestOp.Io access && access.isRead() && !access.dataIsPtr()
                ? IoDevice.truncate(data, access.size()) : 0;
    }

    /** The server that answered (a broadcast reports the broadcast route). */
    private Route serverRoute() {
        if (current instanceof GuestOp.DecreaseReservation) {
            return Route.BROADCAST_ROUTE;
        }
        int id = io.lastAnsweredServer();
        return id >= 0 ? serverRoutes.get(id) : Route.NOWHERE;
    }
}
