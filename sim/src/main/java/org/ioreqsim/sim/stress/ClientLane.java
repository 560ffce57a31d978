package org.ioreqsim.sim.stress;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.IoreqServer;

/**
 * One emulator client lane: a device-model process that starts QEMU-like emulators ({@link IoreqServer}
 * actors, one at a time, children named {@code qemu-<n>}), drives them with their commands, and makes
 * raw dm_op and acquire_resource hypercalls of its own, one program operation at a time. Emulators in
 * manual mode hand each request to an {@link Answerer} child, so that taking a request (INPROCESS) and
 * answering it are separate steps of the schedule.
 */
final class ClientLane extends AbstractBehavior<ClientLane.Msg> {

    sealed interface Msg {
    }

    private enum Go implements Msg {
        INSTANCE
    }

    private record Emulator(EmulatorEvent event) implements Msg {
    }

    private record Reply(Result<?> result) implements Msg {
    }

    private record Answer(HypercallResult result) implements Msg {
    }

    private record Stopped(int generation) implements Msg {
    }

    static Behavior<Msg> create(String lane, Program.DomainSetup domain, List<StressOp> ops, Host host,
                                ActorRef<HypercallRequest> xen, Monitor monitor) {
        return Behaviors.setup(ctx -> {
            ctx.getSelf().tell(Go.INSTANCE);
            return new ClientLane(ctx, lane, domain, ops, host, xen, monitor);
        });
    }

    private final String lane;
    private final Program.DomainSetup domain;
    private final List<StressOp> ops;
    private final Host host;
    private final ActorRef<HypercallRequest> xen;
    private final Monitor monitor;
    private final ActorRef<EmulatorEvent> events;
    private final ActorRef<Result<?>> replies;
    private final ActorRef<HypercallResult> answers;
    private final Set<Integer> bound = new TreeSet<>();
    private int next;
    private StressOp current;
    private ActorRef<IoreqServer.Command> emulator;
    private ActorRef<Answerer.Msg> answerer;
    private String emulatorKey;
    private int generation;
    private int serverId = -1;
    private boolean started;
    private long seq;
    private int bindNext = -1;
    private String failure;

    @SuppressWarnings("unchecked")
    private ClientLane(ActorContext<Msg> ctx, String lane, Program.DomainSetup domain, List<StressOp> ops, Host host,
                       ActorRef<HypercallRequest> xen, Monitor monitor) {
        super(ctx);
        this.lane = lane;
        this.domain = domain;
        this.ops = ops;
        this.host = host;
        this.xen = xen;
        this.monitor = monitor;
        this.events = ctx.messageAdapter(EmulatorEvent.class, Emulator::new);
        this.replies = (ActorRef<Result<?>>) (ActorRef<?>) ctx.messageAdapter(Result.class, Reply::new);
        this.answers = ctx.messageAdapter(HypercallResult.class, Answer::new);
    }

    @Override
    public Receive<Msg> createReceive() {
        return newReceiveBuilder()
                .onMessage(Go.class, m -> next())
                .onMessage(Emulator.class, this::onEmulator)
                .onMessage(Reply.class, this::onReply)
                .onMessage(Answer.class, m -> done(m.result().result()))
                .onMessage(Stopped.class, this::onStopped)
                .build();
    }

    private Behavior<Msg> next() {
        while (current == null && next < ops.size()) {
            current = ops.get(next++);
            monitor.laneOpStarted(lane, domain.domid(), current);
            if (!perform(current)) {
                finish(null);
            }
        }
        if (current == null) {
            monitor.laneFinished(lane);
        }
        return this;
    }

    /** Starts {@code op}; false if it cannot run now (no emulator, already one) and is skipped. */
    private boolean perform(StressOp op) {
        boolean live = emulator != null && started;
        if (op instanceof StressOp.Start s) {
            return emulator == null && start(s);
        } else if (op instanceof StressOp.Map m && live) {
            emulator.tell(new IoreqServer.MapRange(RangeType.fromCode(m.type()), m.start(), m.end(), replyTo()));
        } else if (op instanceof StressOp.Unmap u && live) {
            emulator.tell(new IoreqServer.UnmapRange(RangeType.fromCode(u.type()), u.start(), u.end(), replyTo()));
        } else if (op instanceof StressOp.SetState st && live) {
            emulator.tell(new IoreqServer.SetEnabled(st.enabled(), replyTo()));
        } else if (op instanceof StressOp.Destroy && live) {
            emulator.tell(new IoreqServer.Destroy(replyTo()));
        } else if (op instanceof StressOp.Crash && emulator != null) {
            emulator.tell(IoreqServer.Crash.INSTANCE); // the lane goes on once the process is gone
        } else if (op instanceof StressOp.Misbehave b && live) {
            misbehave(b);
        } else if (op instanceof StressOp.Bind && live) {
            bindNext = 0;
            return bindNext();
        } else if (op instanceof StressOp.GetInfo g && serverId >= 0) {
            hypercall(Hypercall.DmOpHypercall.of(domain.domid(), new DmOp.GetIoreqServerInfo(serverId, g.flags())));
        } else if (op instanceof StressOp.Acquire a && serverId >= 0) {
            hypercall(Hypercall.AcquireResource.ioreqServer(domain.domid(), serverId, a.frame(), a.nrFrames()));
        } else if (op instanceof StressOp.RawSetState r) {
            hypercall(Hypercall.DmOpHypercall.of(domain.domid(), new DmOp.SetIoreqServerState(r.id(), r.enabled())));
        } else if (op instanceof StressOp.RawDestroy r) {
            hypercall(Hypercall.DmOpHypercall.of(domain.domid(), new DmOp.DestroyIoreqServer(r.id())));
        } else {
            return false;
        }
        return true;
    }

    /** A protocol breach by the emulator ({@link StressFeature#BAD_EMULATOR}); the monitors call it EMU. */
    private void misbehave(StressOp.Misbehave b) {
        switch (b.act()) {
            case "respond" -> emulator.tell(new IoreqServer.Respond(b.vcpu(), b.value(), replyTo()));
            case "slot-state" -> emulator.tell(new IoreqServer.SetSlotState(b.vcpu(), (int) b.value() & 0xF, replyTo()));
            case "vp-eport" -> emulator.tell(new IoreqServer.SetVpEport(b.vcpu(), b.value(), replyTo()));
            default -> emulator.tell(new IoreqServer.Notify(b.vcpu(), replyTo()));
        }
    }

    private boolean start(StressOp.Start s) {
        generation++;
        String name = "qemu-" + generation;
        emulatorKey = lane.replace('.', '-') + "/" + name;
        String key = emulatorKey;
        EmulatorConfig cfg = new EmulatorConfig(domain.emulatorDomid(), domain.domid(), BufioreqMode.fromCode(s.bufioreq()),
                StressDevices.deviceMap(s.devices(), key, data -> monitor.vgaWrite(key, data)), s.resource(),
                domain.maxVcpus(), s.manual() ? EmulatorConfig.Handling.MANUAL : EmulatorConfig.Handling.AUTOMATIC,
                s.enable(), true, Duration.ofMillis(Xen.BUFFER_IO_MAX_DELAY_MS), false);
        emulator = getContext().spawn(IoreqServer.create(cfg, host, xen, events), name);
        getContext().watchWith(emulator, new Stopped(generation));
        answerer = s.manual() ? getContext().spawn(Answerer.create(emulator, s.answerDelayMs()),
                "answer-" + generation) : null;
        started = false;
        serverId = -1;
        bound.clear();
        emulator.tell(IoreqServer.Start.INSTANCE);
        return true;
    }

    private boolean bindNext() {
        while (bindNext >= 0 && bindNext < domain.maxVcpus()) {
            int v = bindNext++;
            if (!bound.contains(v)) {
                emulator.tell(new IoreqServer.BindVcpu(v, replyTo()));
                bound.add(v);
                return true;
            }
        }
        bindNext = -1;
        return false;
    }

    private void hypercall(Hypercall h) {
        xen.tell(new HypercallRequest(domain.emulatorDomid(), h, ++seq, answers));
    }

    private Behavior<Msg> onEmulator(Emulator m) {
        EmulatorEvent e = m.event();
        if (e instanceof EmulatorEvent.Started s) {
            started = true;
            serverId = s.serverId();
            bound.addAll(s.localPorts().keySet());
            monitor.emulatorStarted(emulatorKey, domain.domid(), serverId);
            if (current instanceof StressOp.Start) {
                return done(Result.ok(serverId));
            }
        } else if (e instanceof EmulatorEvent.StartFailed f) {
            if (current instanceof StressOp.Start) {
                return done(Result.err(f.errno()));
            }
        } else if (e instanceof EmulatorEvent.RequestPending p && answerer != null) {
            answerer.tell(new Answerer.Pending(p.vcpu()));
        } else if (e instanceof EmulatorEvent.Failed f) {
            failure = "failed: " + f.reason();
        } else if (e instanceof EmulatorEvent.Destroyed d && emulator != null && d.serverId() == serverId) {
            failure = "exited after destroying its server";
            getContext().stop(emulator);
        }
        return this;
    }

    private Behavior<Msg> onReply(Reply m) {
        if (current instanceof StressOp.Bind) {
            if (!m.result().isOk()) {
                bound.remove(bindNext - 1);
            }
            if (bindNext()) {
                return this;
            }
        }
        return done(m.result());
    }

    private Behavior<Msg> onStopped(Stopped m) {
        if (m.generation() != generation) {
            return this;
        }
        monitor.emulatorGone(emulatorKey, failure != null ? failure : started ? "crashed" : "stopped during start-up");
        failure = null;
        emulator = null;
        if (answerer != null) {
            getContext().stop(answerer);
            answerer = null;
        }
        boolean waiting = current != null && !(current instanceof StressOp.GetInfo || current instanceof StressOp.Acquire
                || current instanceof StressOp.RawSetState || current instanceof StressOp.RawDestroy);
        started = false;
        return waiting ? done(null) : this;
    }

    private Behavior<Msg> done(Result<?> result) {
        finish(result);
        return next();
    }

    private void finish(Result<?> result) {
        monitor.laneOpDone(lane, domain.domid(), current, result);
        current = null;
        bindNext = -1;
    }

    @SuppressWarnings("unchecked")
    private <T> ActorRef<T> replyTo() {
        return (ActorRef<T>) (ActorRef<?>) replies;
    }
}
