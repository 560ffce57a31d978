package org.ioreqsim.domain;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HotPathReceive;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.DomainCrash;
import org.ioreqsim.vcpu.DomainMessage;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.Vcpu;
import org.ioreqsim.vcpu.VcpuIo;
import org.ioreqsim.vcpu.VcpuRequest;
import org.ioreqsim.vcpu.VcpuSnapshot;
import org.ioreqsim.vcpu.VcpuState;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * One HVM domain as Xen's ioreq code sees it: its vCPU actors, its ioreq-server table
 * ({@link IoreqServers}), the routing of every request its vCPUs emit ({@link Emulation}), the CF8 latch,
 * HVM params, pause, its event-channel table and gfn pool, vCPU hooks, destroy-all on death, and crash.
 *
 * <p>The actor's mailbox is the domain's recursive ioreq lock: dm_ops, param ops and vCPU hooks run one
 * at a time. Create, destroy and set_state also pause the domain: the vCPUs are told to stop and the
 * change runs once every one has acknowledged, with other commands stashed meanwhile; vCPU requests
 * keep being served, as a vCPU already inside Xen finishes its step before it is descheduled.
 */
public final class Domain extends AbstractBehavior<DomainMessage> {

    /** The domain's own protocol (its vCPUs' requests are {@link VcpuRequest}). */
    public sealed interface Command extends DomainMessage {
    }

    /** A dm_op from {@code callerDomid}, past the hypervisor's preamble. */
    public record DmOpRequest(int callerDomid, DmOp op, long seq, ActorRef<HypercallResult> replyTo)
            implements Command {
    }

    /** {@code XENMEM_acquire_resource} frames of server {@code id}, past the preamble. */
    public record AcquireResource(int callerDomid, long id, long frame, long nrFrames, long seq,
                                  ActorRef<HypercallResult> replyTo) implements Command {
    }

    /** {@code HVMOP_set_param} past the generic checks; {@code guest} when the caller is this domain. */
    public record SetParam(int callerDomid, boolean guest, int index, long value, long seq,
                           ActorRef<HypercallResult> replyTo) implements Command {
    }

    public record GetParam(int callerDomid, boolean guest, int index, long seq, ActorRef<HypercallResult> replyTo)
            implements Command {
    }

    /** Toolstack pause: answers once no vCPU runs guest code. */
    public record Pause(ActorRef<Done> replyTo) implements Command {
    }

    /** Toolstack unpause: EINVAL if the toolstack holds no pause. The first unpause finishes creation. */
    public record Unpause(ActorRef<Result<Long>> replyTo) implements Command {
    }

    /** Bring up the next vCPU id ({@code hvm_vcpu_initialise}, which adds it to every server). */
    public record AddVcpu(ActorRef<Result<Integer>> replyTo) implements Command {
    }

    /** Remove a vCPU ({@code hvm_vcpu_destroy}): its entries and ports go; its request is abandoned. */
    public record RemoveVcpu(int vcpuId, ActorRef<Result<Integer>> replyTo) implements Command {
    }

    /** Start every vCPU's workload. */
    public enum StartVcpus implements Command {
        INSTANCE
    }

    /** Run one guest operation on a vCPU and report its outcome. */
    public record RunOnVcpu(int vcpuId, GuestOp op, ActorRef<Outcome> replyTo) implements Command {
    }

    public record InspectVcpu(int vcpuId, ActorRef<VcpuSnapshot> replyTo) implements Command {
    }

    /** The guest (or toolstack) shuts the domain down. */
    public record Shutdown(ActorRef<Done> replyTo) implements Command {
    }

    /**
     * {@code domain_kill}: mark dying, close every event channel, destroy every server, retire the
     * vCPUs. The domain then stays a zombie (dm_ops answer as Xen's dying domain does) until its
     * hypervisor reaps it.
     */
    public record Kill(ActorRef<Killed> replyTo) implements Command {
    }

    /** The domain is dead. */
    public record Killed(int domid) {
    }

    /**
     * The hypervisor forgets a killed domain: requests it forwarded before have been answered (a sender's
     * messages arrive in order), so the actor can stop. Xen frees a domain only when the last
     * hypercall holding a reference to it is done ({@code rcu_lock_domain}, {@code domain_destroy}).
     */
    public enum Reap implements Command {
        INSTANCE
    }

    public record Inspect(ActorRef<DomainSnapshot> replyTo) implements Command {
    }

    /** A vCPU as the domain holds it. */
    private record VcpuSlot(IoreqServers.VcpuHandle handle, ActorRef<Vcpu.Command> ref) {
    }

    /**
     * The domain's behaviour. Its event-channel table and physmap exist, registered with the host, from
     * this call on (as {@code domain_create} sets them up before it returns), not only once the actor
     * first runs: an emulator may bind the domain's ports as soon as the creation reply arrives.
     */
    public static Behavior<DomainMessage> create(int domid, DomainConfig config, Host host,
                                                 WorkloadFactory workloads) {
        return create(domid, config, host, workloads, null);
    }

    /** A domain whose server selection is {@code selector} instead of Xen's (tests; null: Xen's). */
    public static Behavior<DomainMessage> create(int domid, DomainConfig config, Host host,
                                                 WorkloadFactory workloads, ServerSelector selector) {
        EventChannelTable evtchn = new EventChannelTable(domid, config.maxEvtchnPort());
        GuestPhysmap physmap = new GuestPhysmap(domid, host.memory());
        for (long[] r : config.ram()) {
            physmap.populate(r[0], r[1]);
        }
        host.register(domid, evtchn, physmap);
        return Behaviors.withStash(10_000, stash -> Behaviors.setup(
                ctx -> new Domain(ctx, stash, domid, config, host, workloads, evtchn, physmap, selector)));
    }

    private final StashBuffer<DomainMessage> stash;
    private final int domid;
    private final DomainConfig config;
    private final WorkloadFactory workloads;
    private final EventChannelTable evtchn;
    private final GuestPhysmap physmap;
    private final HvmParams params;
    private final IoreqServers servers;
    private final IoreqRouting routing;
    private final Emulation emulation;
    private final DmOps dmOps;
    private final InternalIntercepts intercepts;
    private final Route[] serverRoutes = new Route[Xen.MAX_NR_IOREQ_SERVERS];
    /** The same routes as every vCPU of the domain reads them (one list for all of them). */
    private final List<Route> vcpuServerRoutes;
    private final List<IoreqServers.VcpuHandle> vcpuHandles = new ArrayList<>();
    private final IdTable<VcpuSlot> vcpus = new IdTable<>();
    private final Map<Integer, VcpuState> retiredVcpus = new TreeMap<>();
    private final Map<Integer, Integer> incarnations = new TreeMap<>();
    private final List<String> findings = new ArrayList<>();
    private final ArrayDeque<Runnable> whenPaused = new ArrayDeque<>();
    private final Set<Integer> awaitingAcks = new HashSet<>();
    private final EmulationContext emulationContext = new EmulationContext();
    private final ModelTracer tracer;
    private final DomainCounters counters = new DomainCounters();
    private DomainState state = DomainState.RUNNING;
    private String crashReason;
    private int pauseCount;
    private int toolstackPauses;
    private long pauseEpoch;
    private long pciCf8;
    private boolean creationFinished;

    private Domain(ActorContext<DomainMessage> ctx, StashBuffer<DomainMessage> stash, int domid, DomainConfig config,
                   Host host, WorkloadFactory workloads, EventChannelTable evtchn, GuestPhysmap physmap,
                   ServerSelector selector) {
        super(ctx);
        this.stash = stash;
        this.domid = domid;
        this.config = config;
        this.workloads = workloads;
        this.tracer = host.tracer();
        this.evtchn = evtchn;
        this.physmap = physmap;
        IoreqGfnPool pool = new IoreqGfnPool();
        this.params = new HvmParams(pool, config.options());
        this.servers = new IoreqServers(domid, evtchn, physmap, pool, params.values(), host.memory(),
                config.options(), vcpuHandles, findings::add, tracer, counters);
        this.routing = new IoreqRouting(servers, evtchn, config.options(), config.amdExtendedCf8Applies(), tracer,
                counters);
        for (int id = 0; id < serverRoutes.length; id++) {
            serverRoutes[id] = Route.server(domid, id);
        }
        this.vcpuServerRoutes = List.of(serverRoutes);
        this.intercepts = new InternalIntercepts(config.intercepts(), config.emulatedVga());
        this.emulation = new Emulation(domid, intercepts, routing, physmap, serverRoutes, tracer);
        this.dmOps = new DmOps(servers, config.options(), config.hap());
        XenInspector inspector = new XenInspector(domid, new InspectionSource(), servers, pool, params, physmap, evtchn);
        XenInspections.on(host).publish(domid, inspector);
        if (selector != null) {
            routing.replaceSelection(selector, inspector);
        }
        for (int v = 0; v < config.vcpus(); v++) {
            spawnVcpu(v);
        }
        this.creationFinished = !config.createPaused();
        if (config.createPaused()) {
            toolstackPauses = 1;
            pauseCount = 1;
            broadcastPause();
        }
    }

    @Override
    public Receive<DomainMessage> createReceive() {
        // The per-ioreq message bypasses the built receive (see HotPathReceive).
        return HotPathReceive.of(VcpuRequest.EmulateIo.class, this::onEmulateIo, newReceiveBuilder()
                .onMessage(VcpuRequest.SendTimeoffset.class, this::onSendTimeoffset)
                .onMessage(VcpuRequest.SendInvalidate.class, this::onSendInvalidate)
                .onMessage(VcpuRequest.PauseAcked.class, this::onPauseAcked)
                .onMessage(VcpuRequest.CrashDomain.class, m -> {
                    crash(m.reason());
                    return this;
                })
                .onMessage(Command.class, this::onCommand)
                .onSignal(ChildFailed.class, this::onVcpuFailed)
                .onSignal(Terminated.class, s -> this)
                .build());
    }

    /** While a pause waits for acknowledgements, commands wait (the ioreq lock is held). */
    private Behavior<DomainMessage> onCommand(Command c) {
        if (!awaitingAcks.isEmpty()) {
            stash.stash(c);
            return this;
        }
        return handle(c);
    }

    private Behavior<DomainMessage> handle(Command c) {
        if (c instanceof DmOpRequest m) {
            onDmOp(m);
        } else if (c instanceof AcquireResource m) {
            onAcquireResource(m);
        } else if (c instanceof SetParam m) {
            m.replyTo().tell(new HypercallResult(m.seq(), faultsCrash(() -> params.set(m.guest(), m.callerDomid(),
                    m.index(), m.value()).map(x -> HypercallOutput.None.INSTANCE))));
        } else if (c instanceof GetParam m) {
            onGetParam(m);
        } else if (c instanceof Pause m) {
            toolstackPauses++;
            withPaused(() -> m.replyTo().tell(Done.getInstance()), false);
        } else if (c instanceof Unpause m) {
            onUnpause(m);
        } else if (c instanceof AddVcpu m) {
            withPaused(() -> m.replyTo().tell(addVcpu()), true);
        } else if (c instanceof RemoveVcpu m) {
            withPaused(() -> m.replyTo().tell(removeVcpu(m.vcpuId())), true);
        } else if (c == StartVcpus.INSTANCE) {
            vcpus.values().forEach(v -> v.ref().tell(Vcpu.Start.INSTANCE));
        } else if (c instanceof RunOnVcpu m) {
            onRunOnVcpu(m);
        } else if (c instanceof InspectVcpu m) {
            onInspectVcpu(m);
        } else if (c instanceof Shutdown m) {
            onShutdown(m);
        } else if (c instanceof Kill m) {
            if (state == DomainState.DYING || state == DomainState.DEAD) {
                onKill(m);
            } else {
                // domain_kill: domain_pause(d) first (xen/common/domain.c), so no vCPU runs while it tears down
                withPaused(() -> onKill(m), false);
            }
        } else if (c == Reap.INSTANCE) {
            return Behaviors.stopped();
        } else if (c instanceof Inspect m) {
            m.replyTo().tell(snapshot());
        }
        return this;
    }

    private Behavior<DomainMessage> onEmulateIo(VcpuRequest.EmulateIo m) {
        VcpuSlot v = vcpus.get(m.vcpuId());
        if (v == null) {
            return this;
        }
        Vcpu.IoHandled reply;
        try {
            reply = emulation.emulate(v.handle().io(), m.request(), emulationContext);
        } catch (HypervisorFault fault) {
            hypervisorFault(fault);
            reply = new Vcpu.IoHandled(IoStatus.UNHANDLEABLE, 0, 0, Route.NOWHERE, false);
        }
        if (reply != null) {
            v.ref().tell(reply);
        }
        return this;
    }

    /** {@code send_timeoffset_req}: a buffered broadcast; failures are logged and not retried. */
    private Behavior<DomainMessage> onSendTimeoffset(VcpuRequest.SendTimeoffset m) {
        VcpuSlot v = vcpus.get(m.vcpuId());
        Ioreq p = new Ioreq(0, m.offset(), 1, 8, 0, IoreqState.READY, false, IoDirection.WRITE, false,
                IoreqType.TIMEOFFSET);
        if (v != null && routing.broadcast(p, true, v.handle().io(), shuttingDown()) != 0) {
            getContext().getLog().info("d{}: Unsuccessful timeoffset update", domid);
            findings.add("Unsuccessful timeoffset update");
        }
        return this;
    }

    /** {@code send_invalidate_req}: synchronous to every enabled server; the vCPU waits for all. */
    private Behavior<DomainMessage> onSendInvalidate(VcpuRequest.SendInvalidate m) {
        VcpuSlot v = vcpus.get(m.vcpuId());
        if (v == null) {
            return this;
        }
        Ioreq p = new Ioreq(0, ~0L, 0, 4, 0, IoreqState.READY, false, IoDirection.WRITE, false,
                IoreqType.INVALIDATE);
        VcpuIo io = v.handle().io();
        try {
            if (routing.broadcast(p, false, io, shuttingDown()) != 0) {
                getContext().getLog().info("d{}: Unsuccessful map-cache invalidate", domid);
            }
        } catch (HypervisorFault fault) {
            hypervisorFault(fault);
        }
        if (!io.isSentToServer()) {
            v.ref().tell(new Vcpu.IoHandled(IoStatus.OKAY, 0, 0, Route.BROADCAST_ROUTE, false));
        }
        return this;
    }

    private Behavior<DomainMessage> onPauseAcked(VcpuRequest.PauseAcked m) {
        if (m.epoch() == pauseEpoch && awaitingAcks.remove(m.vcpuId()) && awaitingAcks.isEmpty()) {
            runWhenPaused();
            return stash.unstashAll(this);
        }
        return this;
    }

    private Behavior<DomainMessage> onVcpuFailed(ChildFailed failed) {
        Integer id = vcpuIdOf(failed.getRef());
        if (id != null) {
            vcpus.remove(id);
            vcpuHandles.removeIf(h -> h.vcpuId() == id);
            retiredVcpus.put(id, VcpuState.CRASHED);
            awaitingAcks.remove(id);
        }
        String reason = failed.getCause() instanceof DomainCrash dc ? dc.reason() : String.valueOf(failed.getCause());
        crash(reason);
        if (awaitingAcks.isEmpty() && !whenPaused.isEmpty()) {
            runWhenPaused();
            return stash.unstashAll(this);
        }
        return this;
    }

    private void onDmOp(DmOpRequest m) {
        DmOps.Plan plan = dmOps.plan(m.callerDomid(), m.op());
        if (plan instanceof DmOps.Done d) {
            m.replyTo().tell(new HypercallResult(m.seq(), d.result()));
        } else if (plan instanceof DmOps.Paused p) {
            withPaused(() -> m.replyTo().tell(new HypercallResult(m.seq(), faultsCrash(p.action()))), true);
        }
    }

    /** Per frame, as {@code hvm_get_ioreq_server_frame}; the first failing frame fails the call. */
    private void onAcquireResource(AcquireResource m) {
        if (!config.hvm()) {
            m.replyTo().tell(new HypercallResult(m.seq(), Result.err(Errno.EINVAL)));
            return;
        }
        List<Long> mfns = new ArrayList<>();
        Result<HypercallOutput> out = null;
        for (long k = 0; k < m.nrFrames() && out == null; k++) {
            long idx = m.frame() + k;
            Result<Long> r = servers.lookupOwned(m.callerDomid(), m.id()).then(s -> servers.getFrame(s, idx));
            if (r.isOk()) {
                mfns.add(r.value());
            } else {
                out = Result.err(r.errnoOrNull());
            }
        }
        if (out == null) {
            out = Result.ok(new HypercallOutput.ResourceFrames(mfns, m.nrFrames()));
        }
        m.replyTo().tell(new HypercallResult(m.seq(), out));
    }

    /** Get permission, then (pre-seed) a toolstack read of 5/6/26 before creation finished creates the default server. */
    private void onGetParam(GetParam m) {
        Errno perm = params.getPermission(m.guest(), m.index());
        if (perm != null) {
            m.replyTo().tell(new HypercallResult(m.seq(), Result.err(perm)));
            return;
        }
        boolean createsDefault = config.options().legacyDefaultServer() && !creationFinished
                && (m.index() == HvmParam.IOREQ_PFN || m.index() == HvmParam.BUFIOREQ_PFN
                    || m.index() == HvmParam.BUFIOREQ_EVTCHN);
        if (!createsDefault) {
            m.replyTo().tell(paramValue(m));
            return;
        }
        withPaused(() -> {
            Result<HvmIoreqServer> rc = servers.createDefault(m.callerDomid());
            if (!rc.isOk() && rc.errnoOrNull() != Errno.EEXIST) {
                m.replyTo().tell(new HypercallResult(m.seq(), Result.err(rc.errnoOrNull())));
            } else {
                m.replyTo().tell(paramValue(m));
            }
        }, true);
    }

    private HypercallResult paramValue(GetParam m) {
        return new HypercallResult(m.seq(), Result.ok(new HypercallOutput.ParamValue(params.get(m.index()))));
    }

    private void onUnpause(Unpause m) {
        if (toolstackPauses == 0) {
            m.replyTo().tell(Result.err(Errno.EINVAL));
            return;
        }
        toolstackPauses--;
        creationFinished = true;
        releasePause();
        m.replyTo().tell(Result.ok(0L));
    }

    private void onRunOnVcpu(RunOnVcpu m) {
        VcpuSlot v = vcpus.get(m.vcpuId());
        if (v == null) {
            Outcome.Kind kind = state == DomainState.CRASHED ? Outcome.Kind.DOMAIN_CRASHED : Outcome.Kind.ABANDONED;
            m.replyTo().tell(new Outcome(m.op(), kind, 0, 0, Route.NOWHERE, false));
        } else {
            v.ref().tell(new Vcpu.Run(m.op(), m.replyTo()));
        }
    }

    private void onInspectVcpu(InspectVcpu m) {
        VcpuSlot v = vcpus.get(m.vcpuId());
        if (v != null) {
            v.ref().tell(new Vcpu.Inspect(m.replyTo()));
        } else {
            VcpuState s = retiredVcpus.getOrDefault(m.vcpuId(), VcpuState.OFFLINE);
            m.replyTo().tell(new VcpuSnapshot(m.vcpuId(), s, List.of(), Ioreq.ZERO, 0, 0));
        }
    }

    private void onShutdown(Shutdown m) {
        if (state == DomainState.RUNNING) {
            state = DomainState.SHUTTING_DOWN;
            vcpus.values().forEach(v -> v.ref().tell(Vcpu.Shutdown.INSTANCE));
        }
        m.replyTo().tell(Done.getInstance());
    }

    /**
     * {@code domain_kill}, once the domain is paused: vCPUs stop, every port closes (emulators' ends become
     * UNBOUND), every server goes. The pause is never released. The vCPU actors are stopped rather than told, so that nothing already queued for them (an emulator's
     * wake-up) runs guest code again: domain_kill pauses the domain first and its vCPUs never run again.
     */
    private void onKill(Kill m) {
        if (state != DomainState.DYING && state != DomainState.DEAD) {
            state = DomainState.DYING;
            servers.setDying();
            for (VcpuSlot v : vcpus.values()) {
                getContext().stop(v.ref());
                retiredVcpus.put(v.handle().vcpuId(), VcpuState.OFFLINE);
            }
            evtchn.destroyAll();
            servers.destroyAll();
            vcpus.clear();
            state = DomainState.DEAD;
            trace(new ModelEvent.DomainKilled(domid));
        }
        m.replyTo().tell(new Killed(domid));
    }

    /**
     * Runs {@code action} with the domain paused ({@code domain_pause}): the first pause waits for every
     * vCPU to acknowledge; nested pauses run at once. {@code release} drops the pause afterwards.
     */
    private void withPaused(Runnable action, boolean release) {
        pauseCount++;
        whenPaused.add(release ? () -> {
            action.run();
            releasePause();
        } : action);
        if (pauseCount == 1) {
            broadcastPause();
        }
        if (awaitingAcks.isEmpty()) {
            runWhenPaused();
        }
    }

    private void broadcastPause() {
        pauseEpoch++;
        trace(new ModelEvent.DomainPaused(domid, pauseCount));
        for (VcpuSlot v : vcpus.values()) {
            awaitingAcks.add(v.handle().vcpuId());
            v.ref().tell(new Vcpu.Pause(pauseEpoch));
        }
    }

    private void runWhenPaused() {
        while (!whenPaused.isEmpty() && awaitingAcks.isEmpty()) {
            whenPaused.poll().run();
        }
    }

    private void releasePause() {
        pauseCount--;
        if (pauseCount == 0) {
            trace(new ModelEvent.DomainUnpaused(domid));
            vcpus.values().forEach(v -> v.ref().tell(Vcpu.Unpause.INSTANCE));
        }
    }

    /**
     * {@code hvm_vcpu_initialise}: the lowest unused vCPU id, added to every server (7..0). A vCPU whose
     * failure crashed the domain still exists in Xen (domain_crash deschedules, it destroys nothing), with
     * its entries and ports, so its id is not free.
     */
    private Result<Integer> addVcpu() {
        int id = 0;
        while (vcpus.containsKey(id) || retiredVcpus.get(id) == VcpuState.CRASHED) {
            id++;
        }
        if (id >= Xen.HVM_MAX_VCPUS || state == DomainState.DYING || state == DomainState.DEAD) {
            return Result.err(Errno.EINVAL);
        }
        VcpuSlot v = spawnVcpu(id);
        Result<Long> rc = servers.addVcpuToAll(v.handle());
        if (!rc.isOk()) {
            vcpus.remove(id);
            vcpuHandles.remove(v.handle());
            getContext().stop(v.ref());
            return Result.err(rc.errnoOrNull());
        }
        v.ref().tell(new Vcpu.Pause(pauseEpoch));
        return Result.ok(id);
    }

    /**
     * {@code hvm_vcpu_destroy}: remove the vCPU from every server, then stop it (at once: a destroyed vCPU
     * does not handle events already queued for it).
     */
    private Result<Integer> removeVcpu(int vcpuId) {
        VcpuSlot v = vcpus.remove(vcpuId);
        if (v == null) {
            return Result.err(Errno.ENOENT);
        }
        servers.removeVcpuFromAll(v.handle());
        vcpuHandles.remove(v.handle());
        retiredVcpus.put(vcpuId, VcpuState.OFFLINE);
        getContext().stop(v.ref());
        return Result.ok(vcpuId);
    }

    /**
     * Spawns vCPU {@code id}: {@code vcpu-<id>}, or {@code vcpu-<id>-<n>} for its n-th re-creation, since
     * a removed vCPU's actor may still be stopping (Akka keeps its name reserved until then).
     */
    private VcpuSlot spawnVcpu(int id) {
        VcpuIo io = new VcpuIo(domid, id, tracer);
        int incarnation = incarnations.merge(id, 1, Integer::sum) - 1;
        ActorRef<Vcpu.Command> ref = getContext().spawn(Vcpu.create(domid, io, getContext().getSelf().narrow(),
                workloads.create(domid, id), config.options(), vcpuServerRoutes),
                incarnation == 0 ? "vcpu-" + id : "vcpu-" + id + "-" + incarnation);
        getContext().watch(ref);
        IoreqServers.VcpuHandle handle = new IoreqServers.VcpuHandle(id, io,
                port -> new EventChannelConsumer<>(ref, new Vcpu.EventChannelNotified(port)));
        VcpuSlot slot = new VcpuSlot(handle, ref);
        vcpus.put(id, slot);
        vcpuHandles.add(handle);
        vcpuHandles.sort((a, b) -> Integer.compare(a.vcpuId(), b.vcpuId()));
        retiredVcpus.remove(id);
        return slot;
    }

    /** {@code domain_crash()}: the domain stops running guest code; dm_ops still work until it is destroyed. */
    private void crash(String reason) {
        if (state == DomainState.RUNNING || state == DomainState.SHUTTING_DOWN) {
            state = DomainState.CRASHED;
            crashReason = reason;
            getContext().getLog().info("d{} crashed: {}", domid, reason);
            trace(new ModelEvent.DomainCrashed(domid, reason));
            vcpus.values().forEach(v -> v.ref().tell(new Vcpu.DomainCrashed(reason)));
        }
    }

    private void trace(ModelEvent e) {
        if (tracer.enabled()) {
            tracer.event(e);
        }
    }

    private void hypervisorFault(HypervisorFault fault) {
        trace(new ModelEvent.HypervisorFault(domid, fault.getMessage()));
        findings.add("HYPERVISOR_FAULT: " + fault.getMessage());
        crash("HYPERVISOR_FAULT: " + fault.getMessage());
    }

    /** Runs a Xen operation; a hypervisor fault crashes this domain instead of the host. */
    private <T> Result<T> faultsCrash(java.util.function.Supplier<Result<T>> op) {
        try {
            return op.get();
        } catch (HypervisorFault fault) {
            hypervisorFault(fault);
            return Result.err(Errno.EINVAL);
        }
    }

    private boolean shuttingDown() {
        return state != DomainState.RUNNING;
    }

    private Integer vcpuIdOf(ActorRef<Void> ref) {
        for (VcpuSlot v : vcpus.values()) {
            if (v.ref().path().equals(ref.path())) {
                return v.handle().vcpuId();
            }
        }
        return null;
    }

    private DomainSnapshot snapshot() {
        List<ServerSnapshot> list = new ArrayList<>();
        for (HvmIoreqServer s : servers.slots) {
            if (s != null) {
                list.add(Snapshots.server(s));
            }
        }
        List<Integer> ids = vcpus.keys();
        return new DomainSnapshot(domid, config.name(), reportedState(), pauseCount, pciCf8, list, ids, crashReason,
                List.copyOf(findings), counters.asMap());
    }

    private DomainState reportedState() {
        if (state == DomainState.SHUTTING_DOWN
                && vcpuHandles.stream().noneMatch(h -> h.io().isDeferringShutdown())) {
            return DomainState.SHUTDOWN;
        }
        return state;
    }

    /** What {@link XenInspector} reads (plain reads: the inspector documents when they are meaningful). */
    private final class InspectionSource implements XenInspector.Source {
        @Override
        public DomainState state() {
            return state;
        }

        @Override
        public int pauseCount() {
            return pauseCount;
        }

        @Override
        public boolean pauseInEffect() {
            return pauseCount > 0 && awaitingAcks.isEmpty();
        }

        @Override
        public long pciCf8() {
            return pciCf8;
        }

        @Override
        public List<Integer> vcpuIds() {
            return vcpus.keys();
        }

        @Override
        public VcpuIo vcpu(int vcpuId) {
            VcpuSlot v = vcpus.get(vcpuId);
            return v == null ? null : v.handle().io();
        }
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
            Domain.this.crash(reason);
        }

        @Override
        public boolean shuttingDown() {
            return Domain.this.shuttingDown();
        }
    }

    @Override
    public String toString() {
        return "domain " + domid + " (" + Objects.toString(config.name()) + ")";
    }
}
