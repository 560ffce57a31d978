package org.ioreqsim.ioreq.server;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HotPathReceive;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.evtchn.PerPortMessages;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.page.Page;

/**
 * The emulator side of one ioreq server: what QEMU does (hw/xen/xen-hvm-common.c). On {@link Start} it
 * goes through QEMU's start-up, one state per hypercall ({@link IoreqServerStartup}), then serves
 * upcalls: for a vCPU port it
 * unmasks, takes a READY request (INPROCESS), drains the buffered ring first, carries the request out
 * with its devices, publishes the answer (IORESP_READY) and sends on the port, which wakes the vCPU.
 * The buffered ring is an Akka Streams source ({@link BufferedRingSource}) materialised for the
 * server's lifetime and backpressured into this actor one item at a time; the actor applies each item
 * and only then gives its slots back to Xen. The ring is drained on the bufioreq upcall and polled
 * every 100 ms as QEMU does, and a synchronous request waits until the ring is empty, as QEMU drains
 * it before handling one.
 *
 * <p>With {@link EmulatorConfig.Handling#MANUAL} requests wait for a controller's Take and Respond, so
 * scripts and tests can answer late, answer wrongly, or never.
 *
 * <p>Handlers return {@code Behaviors.same()}, never {@code this}: the timer interceptor around the
 * actor would otherwise be re-created on every message (Akka 2.6).
 */
public final class IoreqServer extends AbstractBehavior<IoreqServer.Command> {

    public sealed interface Command {
    }

    /** Run QEMU's start-up sequence. */
    public enum Start implements Command {
        INSTANCE
    }

    /**
     * An event on one of the emulator's local ports (its event-channel device read it). Immutable and
     * equal for a given port, so {@link #of} hands out one instance per port number, shared by every
     * emulator (a port's consumer holds its message for as long as it is bound: one per vCPU otherwise).
     */
    public record Upcall(int port) implements Command {
        private static final PerPortMessages<Upcall> SHARED = new PerPortMessages<>(Upcall::new);

        /** The upcall for {@code port} (one instance per port number, see {@link PerPortMessages}). */
        public static Upcall of(int port) {
            return SHARED.of(port);
        }
    }

    /** VM run state: running enables the server, stopped disables it. */
    public record SetEnabled(boolean enabled, ActorRef<Result<HypercallOutput>> replyTo) implements Command {
    }

    public record MapRange(RangeType type, long start, long end, ActorRef<Result<HypercallOutput>> replyTo)
            implements Command {
    }

    public record UnmapRange(RangeType type, long start, long end, ActorRef<Result<HypercallOutput>> replyTo)
            implements Command {
    }

    /** Bind the port of a vCPU that was added after start-up. */
    public record BindVcpu(int vcpuId, ActorRef<Result<Integer>> replyTo) implements Command {
    }

    /** QEMU exits: destroy the server, then stop. */
    public record Destroy(ActorRef<Result<HypercallOutput>> replyTo) implements Command {
    }

    /** QEMU dies: its event-channel device closes (Xen's ends become UNBOUND); the server stays. */
    public enum Crash implements Command {
        INSTANCE
    }

    /**
     * {@link Crash}, answering the emulator's last figures first: a report that asked {@link GetStats} and
     * then crashed the emulator would miss the requests served between the two messages.
     */
    public record CrashWithStats(ActorRef<EmulatorStats> replyTo) implements Command {
    }

    /** Manual handling: move vCPU {@code vcpu}'s slot READY -> INPROCESS and return the request. */
    public record Take(int vcpu, ActorRef<Result<Ioreq>> replyTo) implements Command {
    }

    /** Manual handling: write {@code data}, set IORESP_READY and send on the vCPU's port. */
    public record Respond(int vcpu, long data, ActorRef<Result<Ioreq>> replyTo) implements Command {
    }

    /** Write any state (0..15) into a vCPU's slot, as a buggy or malicious emulator may. */
    public record SetSlotState(int vcpu, int state, ActorRef<Result<Ioreq>> replyTo) implements Command {
    }

    /** Write {@code port} as a vCPU slot's vp_eport, which only Xen should write (a buggy emulator). */
    public record SetVpEport(int vcpu, long port, ActorRef<Result<Ioreq>> replyTo) implements Command {
    }

    /** Send on a vCPU's local port without touching the slot. */
    public record Notify(int vcpu, ActorRef<Result<Integer>> replyTo) implements Command {
    }

    public record GetStats(ActorRef<EmulatorStats> replyTo) implements Command {
    }

    private enum BufferTimer implements Command {
        INSTANCE
    }

    /** The buffered ring's stream acknowledgement: "apply the next item". */
    public enum RingAck {
        INSTANCE
    }

    private record RingReady(ActorRef<RingAck> ackTo) implements Command {
    }

    /** Items read from the ring while the previous ones were being applied, in ring order. */
    private record RingItems(ActorRef<RingAck> ackTo, List<BufferedWrite> items) implements Command {
    }

    private enum RingEnded implements Command {
        INSTANCE
    }

    private record RingFailed(Throwable cause) implements Command {
    }

    /** A synchronous request taken (INPROCESS) and waiting for the buffered ring to drain first. */
    private record Deferred(int vcpu, Ioreq request) {
    }

    /** The answer to hypercall {@code result.seq()} (the adapter of {@link HypercallResult}). */
    record Answered(HypercallResult result) implements Command {
    }

    /** A controller's dm_op in flight: its answer goes to {@code replyTo}; a destroy also ends the emulator. */
    private record PendingDmOp(ActorRef<Result<HypercallOutput>> replyTo, boolean destroy) {
    }

    public static Behavior<Command> create(EmulatorConfig config, Host host, ActorRef<HypercallRequest> xen,
                                           ActorRef<EmulatorEvent> listener) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new IoreqServer(ctx, t, config, host, xen, listener)));
    }

    private final TimerScheduler<Command> timers;
    private final EmulatorConfig config;
    private final Host host;
    private final ActorRef<HypercallRequest> xen;
    private final ActorRef<EmulatorEvent> listener;
    private final ActorRef<HypercallResult> answers;
    private final Map<Long, PendingDmOp> pendingDmOps = new HashMap<>();
    private final IoreqServerStartup startup;
    private final EmulatorStats.Counters stats = new EmulatorStats.Counters();
    private final RequestHandler handler;
    final BoundPorts vcpuPorts = new BoundPorts();
    private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
    private BufferedRingSource.Control ring;
    private boolean deliveredSinceTimer;
    private long seq;
    /** Set by the start-up ({@link IoreqServerStartup}): the server, its pages and its bufioreq ports. */
    int serverId = -1;
    int bufioreqPort;
    int bufLocalPort = -1;
    IoreqPage slots;
    private boolean timerArmed;

    private IoreqServer(ActorContext<Command> ctx, TimerScheduler<Command> timers, EmulatorConfig config, Host host,
                        ActorRef<HypercallRequest> xen, ActorRef<EmulatorEvent> listener) {
        super(ctx);
        this.timers = timers;
        this.config = config;
        this.host = host;
        this.xen = xen;
        this.listener = listener;
        this.answers = ctx.messageAdapter(HypercallResult.class, Answered::new);
        GuestMemory guest = host.guestMemory(config.targetDomid());
        this.handler = new RequestHandler(config.devices(), guest, stats);
        this.startup = new IoreqServerStartup(this, ctx, config, host);
    }

    @Override
    public Receive<Command> createReceive() {
        // The per-ioreq message bypasses the built receive (see HotPathReceive); the buffered ring's
        // per-batch messages come first in it, since each case tested before a match allocates.
        return HotPathReceive.of(Upcall.class, this::onUpcall, newReceiveBuilder()
                .onMessage(RingItems.class, this::onRingItems)
                .onMessage(BufferTimer.class, m -> onBufferTimer())
                .onMessage(Start.class, m -> startup.start())
                .onMessage(SetEnabled.class, m -> dmOp(new DmOp.SetIoreqServerState(serverId, m.enabled()),
                        m.replyTo()))
                .onMessage(MapRange.class, m -> dmOp(new DmOp.MapIoRangeToIoreqServer(serverId, m.type().code(),
                        m.start(), m.end()), m.replyTo()))
                .onMessage(UnmapRange.class, m -> dmOp(new DmOp.UnmapIoRangeFromIoreqServer(serverId,
                        m.type().code(), m.start(), m.end()), m.replyTo()))
                .onMessage(BindVcpu.class, this::onBindVcpu)
                .onMessage(Destroy.class, this::onDestroy)
                .onMessage(Crash.class, m -> onCrash())
                .onMessage(CrashWithStats.class, m -> {
                    m.replyTo().tell(stats());
                    return onCrash();
                })
                .onMessage(Take.class, this::onTake)
                .onMessage(Respond.class, this::onRespond)
                .onMessage(SetSlotState.class, this::onSetSlotState)
                .onMessage(SetVpEport.class, this::onSetVpEport)
                .onMessage(Notify.class, this::onNotify)
                .onMessage(GetStats.class, m -> {
                    m.replyTo().tell(stats());
                    return Behaviors.same();
                })
                .onMessage(RingReady.class, m -> {
                    m.ackTo().tell(RingAck.INSTANCE);
                    return Behaviors.same();
                })
                .onMessage(RingEnded.class, m -> Behaviors.same())
                .onMessage(RingFailed.class, m -> fail(m.cause().getMessage()))
                .onMessage(Answered.class, this::onAnswered)
                .build());
    }

    /**
     * Maps the pages (xenforeignmemory_map) and starts the buffered ring; false, mapping nothing, if a
     * frame is gone.
     */
    boolean attachPages(Page ioreq, Page bufioreq, boolean buffered) {
        if (ioreq == null || (buffered && bufioreq == null)) {
            return false;
        }
        slots = new IoreqPage(ioreq);
        if (bufioreq != null) {
            startRing(new BufferedIoreqPage(bufioreq));
        }
        return true;
    }

    /**
     * Materialises the buffered ring's stream once, for the server's lifetime (the materializer is tied
     * to this actor): the ring source, backpressured into this actor. Each time this actor has applied a
     * batch, the source reads everything published meanwhile as the next one; this actor applies each
     * write to its devices in order. Items stay in Xen's count of used slots until applied, so batching
     * changes when the emulator sees them, never when Xen sees the ring full.
     */
    private void startRing(BufferedIoreqPage page) {
        ActorRef<Command> self = getContext().getSelf();
        Sink<List<BufferedWrite>, NotUsed> sink = ActorSink.actorRefWithBackpressure(self,
                (ActorRef<RingAck> ackTo, List<BufferedWrite> items) -> new RingItems(ackTo, items), RingReady::new,
                RingAck.INSTANCE, RingEnded.INSTANCE, RingFailed::new);
        ring = Source.fromGraph(new BufferedRingSource(page))
                .to(sink)
                .run(Materializer.createMaterializer(getContext()));
    }

    Result<Integer> bind(int remotePort) {
        return host.bindInterdomain(config.emulatorDomid(), config.targetDomid(), remotePort,
                local -> new EventChannelConsumer<>(getContext().getSelf(), Upcall.of(local)));
    }

    /**
     * One upcall (QEMU's {@code cpu_handle_ioreq}). The bufioreq port is drained and left masked until
     * the timer finds the ring empty; a vCPU port is unmasked, and a READY request is taken and served.
     */
    private Behavior<Command> onUpcall(Upcall m) {
        stats.upcalls++;
        host.consume(config.emulatorDomid(), m.port());
        if (m.port() == bufLocalPort) {
            if (config.drainOnUpcall()) {
                ring.wake();
            }
            armTimer();
            return Behaviors.same();
        }
        int vcpu = vcpuPorts.vcpuOf(m.port());
        if (vcpu < 0) {
            return fail("upcall on unknown port " + m.port());
        }
        host.unmask(config.emulatorDomid(), m.port());
        if (slots.state(vcpu) != IoreqState.READY) {
            stats.spuriousUpcalls++;
            return Behaviors.same();
        }
        if (config.handling() == EmulatorConfig.Handling.MANUAL) {
            listener.tell(new EmulatorEvent.RequestPending(config.targetDomid(), serverId, vcpu, slots.load(vcpu)));
            return Behaviors.same();
        }
        slots.setState(vcpu, IoreqState.INPROCESS);
        Ioreq req = slots.load(vcpu);
        if (ring != null && (ring.used() != 0 || !deferred.isEmpty())) {
            deferred.add(new Deferred(vcpu, req));
            ring.wake();
            return Behaviors.same();
        }
        return serve(vcpu, req);
    }

    /** Carries a taken request out and answers it. */
    private Behavior<Command> serve(int vcpu, Ioreq req) {
        long data = handler.handle(req);
        stats.requests++;
        return respond(vcpu, req, data);
    }

    /**
     * Applies a batch of buffered writes in ring order, then gives their slots back to Xen (QEMU's loop in
     * {@code handle_buffered_iopage}, which adds to the read pointer after each item), and lets waiting
     * requests run once the ring is drained. While a request waits and the ring still holds items, the
     * ring is looked at again: QEMU drains it to empty before it handles a synchronous request, items
     * published meanwhile included, whether or not Xen's notification of them got through (the bufioreq
     * port may be masked until the next poll).
     */
    private Behavior<Command> onRingItems(RingItems m) {
        deliveredSinceTimer = true;
        List<BufferedWrite> items = m.items();
        int applied = 0;
        for (int i = 0, n = items.size(); i < n; i++) {
            BufferedWrite w = items.get(i);
            handler.bufferedWrite(w.type(), w.addr(), w.size(), w.data());
            applied += w.slots();
        }
        ring.release(applied);
        m.ackTo().tell(RingAck.INSTANCE);
        Behavior<Command> same = Behaviors.same();
        Behavior<Command> next = same;
        while (!deferred.isEmpty() && ring.used() == 0 && next == same) {
            Deferred d = deferred.poll();
            next = serve(d.vcpu(), d.request());
        }
        if (!deferred.isEmpty() && next == same) {
            ring.wake();
        }
        return next;
    }

    /** Publish the answer: data, then IORESP_READY (the slot must still be INPROCESS), then send. */
    private Behavior<Command> respond(int vcpu, Ioreq req, long data) {
        if (req.isRead() && !req.dataIsPtr()) {
            slots.setData(vcpu, data);
        }
        if (slots.state(vcpu) != IoreqState.INPROCESS) {
            return fail("Badness in I/O request ... not in service (vcpu " + vcpu + " state "
                    + IoreqState.name(slots.state(vcpu)) + ")");
        }
        slots.setState(vcpu, IoreqState.IORESP_READY);
        host.send(config.emulatorDomid(), vcpuPorts.portOf(vcpu));
        return Behaviors.same();
    }

    /** QEMU's buffered-io timer: drain; re-arm while work turns up, else unmask the bufioreq port. */
    private Behavior<Command> onBufferTimer() {
        timerArmed = false;
        stats.bufferedPolls++;
        ring.wake();
        if (deliveredSinceTimer) {
            deliveredSinceTimer = false;
            armTimer();
        } else if (bufLocalPort > 0) {
            host.unmask(config.emulatorDomid(), bufLocalPort);
        }
        return Behaviors.same();
    }

    private void armTimer() {
        if (!timerArmed && bufLocalPort > 0) {
            timerArmed = true;
            timers.startSingleTimer(BufferTimer.INSTANCE, config.bufferPoll());
        }
    }

    private Behavior<Command> onBindVcpu(BindVcpu m) {
        int remote = slots == null ? 0 : (int) slots.vpEport(m.vcpuId());
        Result<Integer> r = remote == 0 ? Result.err(Errno.EINVAL) : bind(remote);
        if (r.isOk()) {
            vcpuPorts.bind(m.vcpuId(), r.value());
        }
        m.replyTo().tell(r);
        return Behaviors.same();
    }

    private Behavior<Command> onDestroy(Destroy m) {
        long s = hypercall(Hypercall.DmOpHypercall.of(config.targetDomid(), new DmOp.DestroyIoreqServer(serverId)));
        pendingDmOps.put(s, new PendingDmOp(m.replyTo(), true));
        return Behaviors.same();
    }

    private Behavior<Command> onCrash() {
        closePorts();
        return Behaviors.stopped();
    }

    private Behavior<Command> onTake(Take m) {
        if (!slots.compareAndSetState(m.vcpu(), IoreqState.READY, IoreqState.INPROCESS)) {
            m.replyTo().tell(Result.err(Errno.EINVAL));
            return Behaviors.same();
        }
        m.replyTo().tell(Result.ok(slots.load(m.vcpu())));
        return Behaviors.same();
    }

    private Behavior<Command> onRespond(Respond m) {
        Ioreq req = slots.load(m.vcpu());
        if (req.isRead() && !req.dataIsPtr()) {
            slots.setData(m.vcpu(), m.data());
        }
        slots.setState(m.vcpu(), IoreqState.IORESP_READY);
        stats.requests++;
        int port = vcpuPorts.portOf(m.vcpu());
        if (port >= 0) {
            host.send(config.emulatorDomid(), port);
        }
        m.replyTo().tell(Result.ok(slots.load(m.vcpu())));
        return Behaviors.same();
    }

    private Behavior<Command> onSetSlotState(SetSlotState m) {
        slots.setState(m.vcpu(), m.state());
        m.replyTo().tell(Result.ok(slots.load(m.vcpu())));
        return Behaviors.same();
    }

    private Behavior<Command> onSetVpEport(SetVpEport m) {
        slots.setVpEport(m.vcpu(), m.port());
        m.replyTo().tell(Result.ok(slots.load(m.vcpu())));
        return Behaviors.same();
    }

    private Behavior<Command> onNotify(Notify m) {
        int port = vcpuPorts.portOf(m.vcpu());
        m.replyTo().tell(port < 0 ? Result.err(Errno.EINVAL) : host.send(config.emulatorDomid(), port));
        return Behaviors.same();
    }

    /** A controller's dm_op answered (start-up answers are taken by the start-up's states). */
    private Behavior<Command> onAnswered(Answered m) {
        PendingDmOp p = pendingDmOps.remove(m.result().seq());
        if (p != null) {
            Result<HypercallOutput> r = m.result().result();
            p.replyTo().tell(r);
            if (p.destroy() && r.isOk()) {
                closePorts();
                listener.tell(new EmulatorEvent.Destroyed(config.targetDomid(), serverId));
            }
        }
        return Behaviors.same();
    }

    private Behavior<Command> dmOp(DmOp op, ActorRef<Result<HypercallOutput>> replyTo) {
        long s = hypercall(Hypercall.DmOpHypercall.of(config.targetDomid(), op));
        pendingDmOps.put(s, new PendingDmOp(replyTo, false));
        return Behaviors.same();
    }

    /** Sends a hypercall as the emulator's domain; its answer comes back as {@link Answered} with the seq returned. */
    long hypercall(Hypercall h) {
        long s = ++seq;
        xen.tell(new HypercallRequest(config.emulatorDomid(), h, s, answers));
        return s;
    }

    /** Start-up finished (the last of {@link IoreqServerStartup}'s states): the server serves. */
    void started() {
        listener.tell(new EmulatorEvent.Started(config.targetDomid(), serverId, bufioreqPort, vcpuPorts.byVcpu()));
    }

    /** A start-up step failed: reported; the start-up's state then stops the emulator. */
    void startFailed(String step, Errno errno) {
        listener.tell(new EmulatorEvent.StartFailed(config.targetDomid(), step, errno));
    }

    private Behavior<Command> fail(String reason) {
        listener.tell(new EmulatorEvent.Failed(config.targetDomid(), serverId, reason));
        closePorts();
        return Behaviors.stopped();
    }

    private void closePorts() {
        for (int port : vcpuPorts.ports()) {
            host.close(config.emulatorDomid(), port);
        }
        if (bufLocalPort > 0) {
            host.close(config.emulatorDomid(), bufLocalPort);
        }
        vcpuPorts.clear();
        bufLocalPort = -1;
    }

    private EmulatorStats stats() {
        List<EventChannel> open = new ArrayList<>();
        for (int p : vcpuPorts.ports()) {
            open.add(host.port(config.emulatorDomid(), p));
        }
        if (bufLocalPort > 0) {
            open.add(host.port(config.emulatorDomid(), bufLocalPort));
        }
        return stats.snapshot(config.targetDomid(), serverId, ring == null ? 0 : ring.highWater(), open);
    }
}
