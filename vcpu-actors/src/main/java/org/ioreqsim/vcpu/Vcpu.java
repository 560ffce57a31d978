package org.ioreqsim.vcpu;

import akka.actor.Cancellable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.dispatch.ExecutionContexts$;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.PerPortMessages;
import scala.concurrent.ExecutionContext;

/**
 * One guest vCPU. It runs a {@link Workload} (or operations a script hands it), performs the vCPU's
 * own part of Xen's emulation path ({@link VcpuIo}), hands each request to its domain, and blocks in
 * Xen until its domain answers or an emulator's event-channel send wakes it; then it runs completion
 * and re-executes the instruction to pick up the answer, as {@code handle_pio}/{@code handle_mmio} do.
 * The instruction itself (its passes, completion and outcome) is {@link VcpuInstruction}, this class's
 * base; this class is the actor: message dispatch, phases, pausing, timers, scripted operations and the
 * workload's advance.
 *
 * <p>Written as one class with an explicit phase rather than one behaviour per state: pausing is
 * orthogonal to every phase (a blocked vCPU stays blocked while paused), and a stash holds whatever
 * arrives while paused.
 *
 * <p>What Xen answers with {@code domain_crash()} is raised as {@link DomainCrash} inside the vCPU's
 * step; the vCPU stops running guest code and tells its domain, which crashes and then tells every
 * vCPU, settling their operations.
 *
 * <p>Handlers return {@code Behaviors.same()}, never {@code this} (Akka 2.6 re-creates any interceptor
 * around a behaviour returned as a new value on every message).
 *
 * <p>No Akka wrappers: the spawned behaviour is the vCPU itself (a deferred factory would stay
 * reachable from the actor's props), paused messages wait in a queue of its own made on the first
 * pause that holds any ({@code Behaviors.withStash} costs every actor a buffer and two closures), and
 * the think time is one {@code scheduleOnce} on the system's scheduler run on the calling thread, as
 * Akka's timers run theirs, so that virtual time and the controlled executor drive it alike (a
 * {@code TimerScheduler} costs every actor a scheduler object and an interceptor around every message).
 *
 * <p>An {@link ExtensibleBehavior} with one dispatch method rather than an {@code AbstractBehavior}:
 * there is one vCPU actor per guest vCPU, up to millions, and a built receive costs every instance
 * about 600 bytes (a case object, a handler closure and list cells per message type) besides the
 * per-message allocations of its case matching.
 */
public final class Vcpu extends VcpuInstruction {

    /** The vCPU's protocol. */
    public sealed interface Command {
    }

    /** Start running the workload. */
    public enum Start implements Command {
        INSTANCE
    }

    /** Run one operation (after any queued ones) and report its outcome; for scripts and tests. */
    public record Run(GuestOp op, ActorRef<Outcome> replyTo) implements Command {
        public Run {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * The domain's answer to {@link VcpuRequest.EmulateIo} or {@link VcpuRequest.SendInvalidate} when
     * no emulator is involved: handled (OKAY, with the read value and reps), an emulation failure
     * (UNHANDLEABLE), or RETRY when the domain is shutting down.
     */
    public record IoHandled(IoStatus status, long data, long reps, Route route, boolean buffered)
            implements Command {
    }

    /**
     * The domain's answer X86EMUL_RETRY with nothing sent ({@code hvmemul_do_io}: a write to a
     * {@code p2m_ioreq_server} page while no server claims the type): the vCPU goes back to the guest
     * without retiring the instruction, which faults again. The model re-executes it after
     * {@link #REEXECUTE_DELAY}, so a vCPU in that state keeps running the instruction, not blocked.
     */
    public enum Reexecute implements Command {
        INSTANCE
    }

    /** How soon a re-executed instruction (see {@link Reexecute}) traps again. */
    public static final Duration REEXECUTE_DELAY = Duration.ofMillis(1);

    /**
     * An event on a Xen-attached port whose notify vCPU is this one: Xen's default consumer action,
     * "if blocked in Xen, wake". Nothing is remembered if the vCPU is not blocked.
     */
    public record EventChannelNotified(int port) implements Command {
        private static final PerPortMessages<EventChannelNotified> SHARED =
                new PerPortMessages<>(EventChannelNotified::new);

        /** The notification for {@code port} (one instance per port number, see {@link PerPortMessages}). */
        public static EventChannelNotified of(int port) {
            return SHARED.of(port);
        }
    }

    /** Stop running guest code ({@code domain_pause}) and acknowledge. */
    public record Pause(long epoch) implements Command {
    }

    public enum Unpause implements Command {
        INSTANCE
    }

    /** The domain crashed: no more guest code runs. */
    public record DomainCrashed(String reason) implements Command {
    }

    /** The domain is shutting down: the vCPU stops for good. */
    public enum Shutdown implements Command {
        INSTANCE
    }

    /** The vCPU is removed or its domain destroyed: abandon what is in flight and stop. */
    public record Retire(String reason) implements Command {
    }

    /**
     * Report this vCPU's state. {@code heldByDomain}: its domain holds a pause it has not told this vCPU
     * (a vCPU that was never started is down and is not told), so it reports itself paused.
     */
    public record Inspect(ActorRef<VcpuSnapshot> replyTo, boolean heldByDomain) implements Command {
        public Inspect(ActorRef<VcpuSnapshot> replyTo) {
            this(replyTo, false);
        }
    }

    private enum ThinkElapsed implements Command {
        INSTANCE
    }

    private enum ReexecuteElapsed implements Command {
        INSTANCE
    }

    /** What the vCPU is doing. */
    private enum Phase {
        IDLE, THINKING, IN_XEN, CRASHED, SHUTDOWN
    }

    /**
     * @param serverRoutes the domain's route for each server slot (shared, so vCPUs allocate none)
     */
    public static Behavior<Command> create(int domid, VcpuIo io, ActorRef<VcpuRequest> domain, Workload workload,
                                           XenOptions options, List<Route> serverRoutes) {
        if (domid != io.domid()) {
            throw new IllegalArgumentException("d" + domid + ": the vCPU state is d" + io.domid() + "'s");
        }
        return new Vcpu(io, domain, workload, options, serverRoutes);
    }

    /** Messages that wait while paused, at most (Akka's stash capacity the vCPU had). */
    private static final int STASH_CAPACITY = 64;
    /** Runs the think timer's task on the scheduler's thread, the executor Akka's own timers use. */
    private static final ExecutionContext SAME_THREAD = ExecutionContexts$.MODULE$.parasitic();

    private final ActorRef<VcpuRequest> domain;
    private final boolean fixOrphanedCompletion;
    /** Operations handed over by Run, oldest first; created on the first (most vCPUs never get one). */
    private ArrayDeque<Run> scripted;
    /** Messages deferred while paused, oldest first; created on the first (most vCPUs never get one). */
    private ArrayDeque<Command> stash;
    /** The running think time, or null. */
    private Cancellable thinkTimer;
    /** The pending re-execution of an instruction Xen answered X86EMUL_RETRY (p2m_ioreq_server), if any. */
    private Cancellable reexecuteTimer;
    /** The actor's context (set by every message: the behaviour is made before its actor). */
    private TypedActorContext<Command> context;
    private Phase phase = Phase.IDLE;
    private boolean paused;
    private boolean shutdownRequested;
    private boolean started;

    private Vcpu(VcpuIo io, ActorRef<VcpuRequest> domain, Workload workload, XenOptions options,
                 List<Route> serverRoutes) {
        super(io, workload == null ? Workload.IDLE : workload, serverRoutes);
        this.domain = domain;
        this.fixOrphanedCompletion = options.fixOrphanedCompletion();
    }

    @Override
    public Behavior<Command> receive(TypedActorContext<Command> ctx, Command msg) {
        context = ctx;
        try {
            return dispatch(msg);
        } catch (RuntimeException e) {
            // a domain_crash() no step caught, or a bug: report it to the domain (which crashes) and stop, as
            // Akka's default supervision would, without the domain having to watch every vCPU
            String cause;
            if (e instanceof DomainCrash crash) {
                cause = crash.reason();
            } else {
                cause = String.valueOf(e);
                ctx.asJava().getLog().error("d{}v{} failed", io.domid(), io.vcpuId(), e);
            }
            domain.tell(new VcpuRequest.VcpuFailed(io.vcpuId(), ctx.asJava().getSelf(), cause));
            return Behaviors.stopped();
        }
    }

    /** One line per message; the per-ioreq ones first. Messages that run guest code wait while paused. */
    private Behavior<Command> dispatch(Command msg) {
        if (msg instanceof EventChannelNotified m) {
            return paused ? defer(m) : onEventChannelNotified(m);
        } else if (msg instanceof IoHandled m) {
            return paused ? defer(m) : onIoHandled(m);
        } else if (msg == Start.INSTANCE) {
            return paused ? defer(msg) : onStart();
        } else if (msg instanceof Run m) {
            return paused ? defer(m) : onRun(m);
        } else if (msg instanceof Pause m) {
            return onPause(m);
        } else if (msg == Unpause.INSTANCE) {
            return onUnpause();
        } else if (msg instanceof DomainCrashed m) {
            return onDomainCrashed(m);
        } else if (msg == Shutdown.INSTANCE) {
            return onShutdown();
        } else if (msg instanceof Retire m) {
            return onRetire(m);
        } else if (msg instanceof Inspect m) {
            return onInspect(m);
        } else if (msg == ThinkElapsed.INSTANCE) {
            return paused ? defer(msg) : onThinkElapsed();
        } else if (msg == Reexecute.INSTANCE) {
            return onReexecute();
        } else if (msg == ReexecuteElapsed.INSTANCE) {
            return paused ? defer(msg) : onReexecuteElapsed();
        }
        return Behaviors.unhandled();
    }

    @Override
    public Behavior<Command> receiveSignal(TypedActorContext<Command> ctx, Signal signal) {
        if (signal instanceof PostStop) {
            return onPostStop();
        }
        return Behaviors.unhandled();
    }

    private Behavior<Command> onStart() {
        started = true;
        return advance();
    }

    private Behavior<Command> onRun(Run m) {
        if (phase == Phase.CRASHED || phase == Phase.SHUTDOWN) {
            m.replyTo().tell(new Outcome(m.op(), Outcome.Kind.DOMAIN_CRASHED, 0, 0, Route.NOWHERE, false));
            return Behaviors.same();
        }
        if (scripted == null) {
            scripted = new ArrayDeque<>(4);
        }
        scripted.add(m);
        return advance();
    }

    private Behavior<Command> onIoHandled(IoHandled m) {
        if (phase != Phase.IN_XEN) {
            return Behaviors.same();
        }
        try {
            switch (m.status()) {
                case OKAY -> passDone(m.data(), m.reps(), m.route(), m.buffered());
                case UNHANDLEABLE -> emulationFailure(m.route());
                case RETRY -> {
                    abandon(Outcome.Kind.ABANDONED);
                    phase = Phase.SHUTDOWN;
                }
            }
        } catch (DomainCrash crash) {
            return crashed(crash);
        }
        return advance();
    }

    private Behavior<Command> onEventChannelNotified(EventChannelNotified m) {
        if (phase != Phase.IN_XEN || !io.isSentToServer()) {
            return Behaviors.same();
        }
        try {
            if (io.complete(fixOrphanedCompletion) == VcpuIo.Step.DONE) {
                afterCompletion();
            }
        } catch (DomainCrash crash) {
            return crashed(crash);
        }
        return advance();
    }

    private Behavior<Command> onPause(Pause m) {
        paused = true;
        domain.tell(new VcpuRequest.PauseAcked(io.vcpuId(), m.epoch()));
        return Behaviors.same();
    }

    /** Runs what waited, in order, before the next message (as Akka's {@code unstashAll} did). */
    private Behavior<Command> onUnpause() {
        paused = false;
        if (phase == Phase.IDLE) {
            advance();
        }
        if (stash != null) {
            for (int n = stash.size(); n > 0; n--) {
                dispatch(stash.poll());
            }
        }
        return Behaviors.same();
    }

    private Behavior<Command> onDomainCrashed(DomainCrashed m) {
        abandon(Outcome.Kind.DOMAIN_CRASHED);
        phase = Phase.CRASHED;
        return Behaviors.same();
    }

    /**
     * {@code domain_shutdown} skips a vCPU that defers the shutdown: one waiting on an emulator keeps
     * waiting, and one whose deferral a refused send left on keeps running guest code (its next I/O is
     * still sent); either stops once a completion ends its deferral. Any other vCPU stops now.
     */
    private Behavior<Command> onShutdown() {
        shutdownRequested = true;
        if ((phase != Phase.IN_XEN || !io.isSentToServer()) && !io.isDeferringShutdown()) {
            abandon(Outcome.Kind.ABANDONED);
            phase = Phase.SHUTDOWN;
        }
        return Behaviors.same();
    }

    private Behavior<Command> onRetire(Retire m) {
        abandon(Outcome.Kind.ABANDONED);
        return Behaviors.stopped();
    }

    /** Stopped with its domain: whatever was in flight is abandoned. */
    private Behavior<Command> onPostStop() {
        abandon(phase == Phase.CRASHED ? Outcome.Kind.DOMAIN_CRASHED : Outcome.Kind.ABANDONED);
        return Behaviors.same();
    }

    private Behavior<Command> onInspect(Inspect m) {
        m.replyTo().tell(snapshot(m.heldByDomain()));
        return Behaviors.same();
    }

    /** The think time ended; one that was cancelled (the vCPU stopped thinking) is ignored, as a timer's is. */
    private Behavior<Command> onThinkElapsed() {
        if (phase != Phase.THINKING) {
            return Behaviors.same();
        }
        thinkTimer = null;
        done(Route.NOWHERE);
        return advance();
    }

    /** The domain's X86EMUL_RETRY: the instruction traps again after {@link #REEXECUTE_DELAY}. */
    private Behavior<Command> onReexecute() {
        if (phase == Phase.IN_XEN && hasPass()) {
            cancelReexecute();
            reexecuteTimer = wakeAfter(REEXECUTE_DELAY, ReexecuteElapsed.INSTANCE);
        }
        return Behaviors.same();
    }

    /** The instruction traps again; a vCPU the shutdown has stopped does not run it, nor one that gave up. */
    private Behavior<Command> onReexecuteElapsed() {
        if (reexecuteTimer == null || phase != Phase.IN_XEN || !hasPass() || stoppedByShutdown()) {
            return Behaviors.same();
        }
        reexecuteTimer = null;
        try {
            beginPass();
        } catch (DomainCrash crash) {
            return crashed(crash);
        }
        return advance();
    }

    /** Starts operations until one has to wait (for the domain, an emulator, or time). */
    private Behavior<Command> advance() {
        try {
            if (phase == Phase.IDLE) {
                stoppedByShutdown();
            }
            while (phase == Phase.IDLE && !paused) {
                if (!nextOperation()) {
                    break;
                }
                execute(current());
            }
        } catch (DomainCrash crash) {
            return crashed(crash);
        }
        return Behaviors.same();
    }

    private boolean nextOperation() {
        Run run = scripted == null ? null : scripted.poll();
        if (run != null) {
            take(run.op(), run.replyTo());
            return true;
        }
        GuestOp op = started ? workload.next() : null;
        take(op, null);
        return op != null;
    }

    private void execute(GuestOp op) {
        if (op instanceof GuestOp.Io access) {
            startAccess(access);
        } else if (op instanceof GuestOp.Think think) {
            if (think.nanos() <= 0) {
                done(Route.NOWHERE);
            } else {
                phase = Phase.THINKING;
                startThinking(think.nanos());
            }
        } else if (op instanceof GuestOp.SchedOpShutdown sd) {
            shutdownRequested = true;
            domain.tell(new VcpuRequest.ShutdownDomain(io.vcpuId(), sd.reason()));
            done(Route.NOWHERE);
        } else if (op instanceof GuestOp.SetRtcOffset rtc) {
            if (rtc.offsetSeconds() != 0) {
                domain.tell(new VcpuRequest.SendTimeoffset(io.vcpuId(), rtc.offsetSeconds()));
            }
            done(Route.BROADCAST_ROUTE);
        } else {
            phase = Phase.IN_XEN;
            domain.tell(new VcpuRequest.SendInvalidate(io.vcpuId()));
        }
    }

    @Override
    boolean stoppedByShutdown() {
        if (!shutdownRequested || io.isDeferringShutdown()) {
            return false;
        }
        abandon(Outcome.Kind.ABANDONED);
        phase = Phase.SHUTDOWN;
        return true;
    }

    /** Wakes the vCPU after {@code nanos}. */
    private void startThinking(long nanos) {
        thinkTimer = wakeAfter(Duration.ofNanos(nanos), ThinkElapsed.INSTANCE);
    }

    /** Sends {@code wakeUp} to this vCPU after {@code delay}; the scheduler's task only sends, on its own thread. */
    private Cancellable wakeAfter(Duration delay, Command wakeUp) {
        ActorRef<Command> self = context.asJava().getSelf();
        return context.asJava().getSystem().scheduler().scheduleOnce(delay, () -> self.tell(wakeUp), SAME_THREAD);
    }

    private void cancelThinking() {
        if (thinkTimer != null) {
            thinkTimer.cancel();
            thinkTimer = null;
        }
    }

    private void cancelReexecute() {
        if (reexecuteTimer != null) {
            reexecuteTimer.cancel();
            reexecuteTimer = null;
        }
    }

    private void abandon(Outcome.Kind kind) {
        cancelThinking();
        cancelReexecute();
        if (current() != null) {
            finish(kind, 0, 0, Route.NOWHERE, false, 1);
        }
        if (scripted != null) {
            for (Run r : scripted) {
                r.replyTo().tell(new Outcome(r.op(), kind, 0, 0, Route.NOWHERE, false));
            }
            scripted.clear();
        }
    }

    /**
     * A {@link DomainCrash} raised by a step: the vCPU stops running guest code and asks its domain to
     * crash; the operation in flight is settled when the domain's {@link DomainCrashed} arrives.
     */
    private Behavior<Command> crashed(DomainCrash crash) {
        cancelThinking();
        phase = Phase.CRASHED;
        domain.tell(new VcpuRequest.CrashDomain(io.vcpuId(), crash.reason()));
        return Behaviors.same();
    }

    /** While paused, messages that would run guest code or Xen's completion wait in the stash. */
    private Behavior<Command> defer(Command m) {
        if (stash == null) {
            stash = new ArrayDeque<>(4);
        } else if (stash.size() >= STASH_CAPACITY) {
            throw new IllegalStateException("d" + io.domid() + "v" + io.vcpuId() + ": stash full while paused");
        }
        stash.add(m);
        return Behaviors.same();
    }

    private VcpuSnapshot snapshot(boolean heldByDomain) {
        VcpuState state = switch (phase) {
            case CRASHED -> VcpuState.CRASHED;
            case SHUTDOWN -> VcpuState.SHUTDOWN;
            case IN_XEN -> null;
            default -> VcpuState.RUNNING;
        };
        GuestOp current = current();
        long completed = completed();
        return VcpuSnapshot.of(io, state, paused || heldByDomain, current instanceof GuestOp.DecreaseReservation,
                completed + (current != null ? 1 : 0), completed, rax());
    }

    @Override
    void inXen() {
        phase = Phase.IN_XEN;
    }

    @Override
    void emulateIo(Ioreq request) {
        domain.tell(new VcpuRequest.EmulateIo(io.vcpuId(), request));
    }

    @Override
    void idle() {
        phase = Phase.IDLE;
    }
}
