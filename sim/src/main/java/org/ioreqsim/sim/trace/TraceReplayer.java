package org.ioreqsim.sim.trace;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.EmulatorStats;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.sim.SimulationException;
import org.ioreqsim.sim.exec.Spawner;
import org.ioreqsim.sim.machine.XenMachine;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.VcpuSnapshot;

/**
 * Replays a QEMU trace into one guest domain: starts the QEMU-like emulator (its child), brings Xen's
 * range sets down to what QEMU's listener registers, then runs the trace's vCPU accesses one at a time
 * in file order, each on the vCPU of its cpu index, waiting for each to complete before the next (which
 * keeps each vCPU's order and the real interleaving on the shared CF8 latch). After an access it issues
 * the map/unmap dm_ops QEMU's listener would have issued for the windows the access programmed.
 *
 * <p>With an emulator on the pre-seed default server ({@link EmulatorConfig#defaultServer()}) there are
 * no ranges to bring down or to change (QEMU's listener does nothing then), and the guest, created
 * paused so that the emulator's param reads could create that server, is unpaused once it has started.
 */
public final class TraceReplayer extends AbstractBehavior<TraceReplayer.Command> {

    public sealed interface Command {
    }

    private record Emulator(EmulatorEvent event) implements Command {
    }

    private record Completed(Outcome outcome) implements Command {
    }

    private record Registered(Result<HypercallOutput> result) implements Command {
    }

    private record Unpaused(Result<Long> result) implements Command {
    }

    private enum Stalled implements Command {
        INSTANCE
    }

    /** What the stuck vCPU and the emulator looked like when replay stalled. */
    private record Diagnosed(VcpuSnapshot vcpu, EmulatorStats emulator) implements Command {
    }

    /** How long one access or dm_op may take before the replay is declared stuck. */
    static final Duration STALL = Duration.ofSeconds(30);

    static Behavior<Command> create(QemuTrace trace, Map<Integer, Integer> vcpuOfCpu, ActorRef<Domain.Command> domain,
                                    EmulatorConfig emulator, Host host, ActorRef<HypercallRequest> xen,
                                    ReplayEmulator devices, AnswerSheet sheet, XenMemoryListener listener,
                                    ReplayTally tally, CompletableFuture<ReplayTally> done,
                                    java.util.function.BooleanSupplier stop) {
        return Behaviors.setup(ctx -> new TraceReplayer(ctx, trace, vcpuOfCpu, domain, emulator, host, xen, devices,
                sheet, listener, tally, done, stop));
    }

    private final QemuTrace trace;
    private final Map<Integer, Integer> vcpuOfCpu;
    private final ActorRef<Domain.Command> domain;
    private final ActorRef<IoreqServer.Command> emulator;
    private final AnswerSheet sheet;
    private final XenMemoryListener listener;
    private final ReplayTally tally;
    private final CompletableFuture<ReplayTally> done;
    /** Ctrl-C: issue no further access; the report covers those replayed. */
    private final java.util.function.BooleanSupplier stop;
    private final ActorRef<Outcome> outcomes;
    private final ActorRef<Result<HypercallOutput>> registrations;
    private final boolean defaultServer;
    private final ArrayDeque<RangeChange> dmOps = new ArrayDeque<>();
    private RangeChange inFlightDmOp;
    private boolean startingUp = true;
    private boolean diagnosing;
    private TraceAccess current;
    private int next;

    private TraceReplayer(ActorContext<Command> ctx, QemuTrace trace, Map<Integer, Integer> vcpuOfCpu,
                          ActorRef<Domain.Command> domain, EmulatorConfig emulator, Host host,
                          ActorRef<HypercallRequest> xen, ReplayEmulator devices, AnswerSheet sheet,
                          XenMemoryListener listener, ReplayTally tally, CompletableFuture<ReplayTally> done,
                          java.util.function.BooleanSupplier stop) {
        super(ctx);
        this.trace = trace;
        this.vcpuOfCpu = vcpuOfCpu;
        this.domain = domain;
        this.sheet = sheet;
        this.listener = listener;
        this.tally = tally;
        this.done = done;
        this.stop = stop;
        this.outcomes = ctx.messageAdapter(Outcome.class, Completed::new);
        this.registrations = resultAdapter(ctx);
        this.defaultServer = emulator.defaultServer();
        if (!defaultServer) {
            this.dmOps.addAll(devices.unregisteredAtStart());
        }
        ActorRef<EmulatorEvent> events = ctx.messageAdapter(EmulatorEvent.class, Emulator::new);
        this.emulator = XenMachine.spawnEmulator(Spawner.of(ctx), host, xen, emulator, events, 0);
        ctx.watch(this.emulator);
        this.emulator.tell(IoreqServer.Start.INSTANCE);
        ctx.setReceiveTimeout(STALL, Stalled.INSTANCE);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Emulator.class, this::onEmulator)
                .onMessage(Completed.class, this::onCompleted)
                .onMessage(Registered.class, this::onRegistered)
                .onMessage(Unpaused.class, this::onUnpaused)
                .onMessage(Stalled.class, m -> onStalled())
                .onMessage(Diagnosed.class, this::onDiagnosed)
                .onSignal(Terminated.class, s -> fail("the emulator stopped at " + where()))
                .onSignal(PostStop.class, s -> {
                    done.completeExceptionally(new SimulationException("replay stopped at " + where()));
                    return this;
                })
                .build();
    }

    private Behavior<Command> onEmulator(Emulator m) {
        EmulatorEvent e = m.event();
        if (e instanceof EmulatorEvent.Started) {
            if (defaultServer) {
                unpause();
                return this;
            }
            return advance();
        }
        if (e instanceof EmulatorEvent.StartFailed f) {
            return fail("the emulator failed to start at " + f.step() + ": " + f.errno().describe());
        }
        if (e instanceof EmulatorEvent.Failed f) {
            return fail("the emulator failed at " + where() + ": " + f.reason());
        }
        return this;
    }

    private Behavior<Command> onCompleted(Completed m) {
        tally.completed(next - 1, current, trace.regionId(next - 1), m.outcome());
        List<RangeChange> changes = listener.drain();
        if (!defaultServer) {
            dmOps.addAll(changes);
        }
        return advance();
    }

    private Behavior<Command> onRegistered(Registered m) {
        RangeChange c = inFlightDmOp;
        inFlightDmOp = null;
        String error = m.result().isOk() ? null : m.result().errnoOrNull().describe();
        if (startingUp) {
            if (error != null) {
                return fail("unregistering " + c.describe() + " at start-up: " + error);
            }
        } else {
            tally.registered(c, error);
        }
        return advance();
    }

    private Behavior<Command> onUnpaused(Unpaused m) {
        if (m.result() == null) {
            return fail("the guest did not unpause within " + STALL.toSeconds() + " s");
        }
        if (!m.result().isOk()) {
            return fail("unpausing the guest failed: " + m.result().describe());
        }
        return advance();
    }

    /** Nothing moved for {@link #STALL}: ask the vCPU and the emulator why, then give up. */
    private Behavior<Command> onStalled() {
        if (current == null) {
            return fail("stalled at start-up: the emulator did not start within " + STALL.toSeconds() + " s");
        }
        if (diagnosing) {
            return onDiagnosed(new Diagnosed(null, null));
        }
        diagnosing = true;
        int vcpu = vcpuOfCpu.get(current.cpu());
        CompletableFuture<VcpuSnapshot> v = new CompletableFuture<>();
        CompletableFuture<EmulatorStats> e = new CompletableFuture<>();
        getContext().pipeToSelf(v.thenCombine(e, Diagnosed::new), (d, x) -> d != null ? d
                : new Diagnosed(null, null));
        domain.tell(new Domain.InspectVcpu(vcpu, adapter(v)));
        emulator.tell(new IoreqServer.GetStats(adapter(e)));
        return this;
    }

    private Behavior<Command> onDiagnosed(Diagnosed d) {
        String vcpu = d.vcpu() == null ? "?" : d.vcpu().describe() + ", latched " + d.vcpu().latched();
        String qemu = d.emulator() == null ? "?" : d.emulator().requests() + " requests, "
                + d.emulator().upcalls() + " upcalls, " + d.emulator().bufferedDelivered() + " buffered";
        return fail("stalled: access at " + where() + " did not complete within " + STALL.toSeconds() + " s (vCPU "
                + vcpu + "; emulator " + qemu + ")");
    }

    private <T> ActorRef<T> adapter(CompletableFuture<T> f) {
        return getContext().spawnAnonymous(Behaviors.<T>receiveMessage(m -> {
            f.complete(m);
            return Behaviors.stopped();
        }));
    }

    /** The next dm_op if any is queued, else the next access, else the end. */
    private Behavior<Command> advance() {
        RangeChange c = dmOps.poll();
        if (c != null) {
            inFlightDmOp = c;
            emulator.tell(c.map() ? new IoreqServer.MapRange(c.type(), c.start(), c.end(), registrations)
                    : new IoreqServer.UnmapRange(c.type(), c.start(), c.end(), registrations));
            return this;
        }
        startingUp = false;
        if (next == trace.accesses() || stop.getAsBoolean()) {
            done.complete(tally);
            return Behaviors.stopped();
        }
        current = trace.access(next++);
        sheet.replaying(current);
        domain.tell(new Domain.RunOnVcpu(vcpuOfCpu.get(current.cpu()), op(current), outcomes));
        return this;
    }

    static GuestOp.Io op(TraceAccess a) {
        return new GuestOp.Io(!a.isPortIo(), a.addr(), a.size(), 1, a.dir(), false, false, a.isRead() ? 0 : a.value());
    }

    private String where() {
        return current == null ? "start-up" : trace.file() + ":" + current.line();
    }

    private Behavior<Command> fail(String reason) {
        done.completeExceptionally(new SimulationException(reason));
        return Behaviors.stopped();
    }

    /** The toolstack's first unpause, which finishes the guest's creation. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void unpause() {
        getContext().ask(Result.class, domain, STALL, r -> new Domain.Unpause((ActorRef) r),
                (r, x) -> new Unpaused((Result<Long>) r));
    }

    /** The dm_op replies, adapted (a generic reply type needs a raw adapter). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ActorRef<Result<HypercallOutput>> resultAdapter(ActorContext<Command> ctx) {
        ActorRef raw = ctx.messageAdapter(Result.class, r -> new Registered((Result<HypercallOutput>) r));
        return raw;
    }
}
