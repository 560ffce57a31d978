package org.ioreqsim.domain;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HotPathReceive;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.DomainMessage;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.Vcpu;
import org.ioreqsim.vcpu.VcpuIo;
import org.ioreqsim.vcpu.VcpuRequest;
import org.ioreqsim.vcpu.VcpuSnapshot;
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

    /**
     * {@code XENMEM_acquire_resource} frames of resource {@code type} (ioreq server {@code id}, or the
     * grant table), past the preamble; {@code translatedCaller}: the caller is translated (HVM) and not
     * the hardware domain, so it may map only frames it owns.
     */
    public record AcquireResource(int callerDomid, long type, long id, long frame, long nrFrames,
                                  boolean translatedCaller, long seq, ActorRef<HypercallResult> replyTo)
            implements Command {
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
     * {@code domain_kill} preempted in {@code domain_relinquish_resources} (-ERESTART, the toolstack's
     * destroydomain continues later): paused, dying ({@code DOMDYING_dying}), every event channel closed
     * ({@code evtchn_destroy}), vCPUs stopped, but the servers not yet destroyed (that is
     * {@code hvm_domain_relinquish_resources}, at the end of relinquish). The domain stays in Xen's
     * table, answering hypercalls as a dying domain, until a {@link Kill} finishes it.
     */
    public record KillPreempted(ActorRef<Done> replyTo) implements Command {
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
                ctx -> new Domain(ctx, stash, domid, config, host, evtchn, physmap, workloads, selector).initial()));
    }

    private final StashBuffer<DomainMessage> stash;
    private final int domid;
    private final DomainConfig config;
    private final HvmParams params;
    private final IoreqServers servers;
    private final IoreqRouting routing;
    private final Emulation emulation;
    private final DmOps dmOps;
    private final DomainVcpus vcpus;
    private final DomainPause pause;
    private final VcpuRequests requests;
    private final DomainPausing pausing;
    private final DomainDying dying;
    private final List<String> findings = new ArrayList<>();
    private final DomainCounters counters = new DomainCounters();
    private final DomainRunState run;
    private boolean creationFinished;

    private Domain(ActorContext<DomainMessage> ctx, StashBuffer<DomainMessage> stash, int domid, DomainConfig config,
                   Host host, EventChannelTable evtchn, GuestPhysmap physmap, WorkloadFactory workloads,
                   ServerSelector selector) {
        super(ctx);
        this.stash = stash;
        this.domid = domid;
        this.config = config;
        ModelTracer tracer = host.tracer();
        Route[] serverRoutes = new Route[Xen.MAX_NR_IOREQ_SERVERS];
        for (int id = 0; id < serverRoutes.length; id++) {
            serverRoutes[id] = Route.server(domid, id);
        }
        // every vCPU of the domain reads the same list of routes
        this.vcpus = new DomainVcpus(ctx, domid, config, workloads, tracer, List.of(serverRoutes), physmap);
        this.pause = new DomainPause(domid, vcpus, tracer);
        this.run = new DomainRunState(domid, vcpus, tracer, ctx::getLog);
        IoreqGfnPool pool = new IoreqGfnPool();
        this.params = new HvmParams(pool, config.options());
        this.servers = new IoreqServers(domid, evtchn, physmap, pool, params.values(), host.memory(),
                config.options(), vcpus.handles(), findings::add, tracer, counters, DomainRefs.on(host));
        this.servers.startRingsAt(config.bufioreqRingStart());
        this.routing = new IoreqRouting(servers, evtchn, config.options(), config.amdExtendedCf8Applies(), tracer,
                counters);
        InternalIntercepts intercepts = new InternalIntercepts(config.intercepts(), config.emulatedVga());
        P2mTypes p2m = new P2mTypes(physmap);
        this.emulation = new Emulation(domid, intercepts, routing, physmap, serverRoutes, tracer,
                new Emulation.MemTypeServer(p2m, servers));
        this.dmOps = new DmOps(servers, config.options(), config.hap(), config.hvm(),
                new GrantTable(domid, host.memory()), p2m);
        this.requests = new VcpuRequests(domid, vcpus, emulation, routing, findings, tracer, ctx::getLog, run);
        this.pausing = new DomainPausing(ctx, stash, pause, requests, this, this::onVcpuFailed);
        this.dying = new DomainDying(domid, run, servers, dmOps, vcpus, evtchn, tracer);
        XenInspector inspector = new XenInspector(domid, new InspectionSource(), servers, pool, params, physmap, evtchn,
                p2m);
        XenInspections.on(host).publish(domid, inspector);
        if (selector != null) {
            routing.replaceSelection(selector, inspector);
        }
        for (int v = 0; v < config.vcpus(); v++) {
            vcpus.spawn(v);
        }
        this.creationFinished = !config.createPaused();
    }

    /** Running, or pausing when the domain is created paused and its vCPUs have yet to stop. */
    private Behavior<DomainMessage> initial() {
        return config.createPaused() && !pause.createPaused() ? pausing : this;
    }

    /**
     * Running: commands run as they come (the mailbox is the ioreq lock). A command that needs the domain
     * paused either runs at once (a pause is already in effect) or is stashed as {@link PausedWork} while
     * the domain is {@link DomainPausing pausing}.
     */
    @Override
    public Receive<DomainMessage> createReceive() {
        // The per-ioreq message bypasses the built receive (see HotPathReceive).
        return HotPathReceive.of(VcpuRequest.EmulateIo.class, requests::onEmulateIo, newReceiveBuilder()
                .onMessage(VcpuRequest.SendTimeoffset.class, requests::onSendTimeoffset)
                .onMessage(VcpuRequest.SendInvalidate.class, requests::onSendInvalidate)
                .onMessage(VcpuRequest.PauseAcked.class, m -> Behaviors.same())
                .onMessage(VcpuRequest.CrashDomain.class, requests::onCrashDomain)
                .onMessage(VcpuRequest.VcpuFailed.class, this::onVcpuFailed)
                .onMessage(VcpuRequest.ShutdownDomain.class, requests::onShutdownDomain)
                .onMessage(DmOpRequest.class, this::onDmOp)
                .onMessage(AcquireResource.class, this::onAcquireResource)
                .onMessage(SetParam.class, this::onSetParam)
                .onMessage(GetParam.class, this::onGetParam)
                .onMessage(Pause.class, this::onPause)
                .onMessage(Unpause.class, this::onUnpause)
                .onMessage(AddVcpu.class, m -> whenPaused(new PausedWork.VcpuInitialise(m), this::onVcpuInitialise))
                .onMessage(RemoveVcpu.class, m -> whenPaused(new PausedWork.VcpuDestroy(m), this::onVcpuDestroy))
                .onMessage(StartVcpus.class, this::onStartVcpus)
                .onMessage(RunOnVcpu.class, this::onRunOnVcpu)
                .onMessage(InspectVcpu.class, this::onInspectVcpu)
                .onMessage(Shutdown.class, this::onShutdown)
                .onMessage(Kill.class, this::onKill)
                .onMessage(KillPreempted.class, m -> run.isDying() ? killPreempted(new PausedWork.DomainKillPreempted(m))
                        : whenPaused(new PausedWork.DomainKillPreempted(m), this::killPreempted))
                .onMessage(Reap.class, m -> Behaviors.stopped())
                .onMessage(Inspect.class, this::onInspect)
                .onMessage(PausedWork.ToolstackPause.class, this::onToolstackPaused)
                .onMessage(PausedWork.VcpuInitialise.class, this::onVcpuInitialise)
                .onMessage(PausedWork.VcpuDestroy.class, this::onVcpuDestroy)
                .onMessage(PausedWork.DmOpPaused.class, this::onDmOpPaused)
                .onMessage(PausedWork.DefaultServerCreate.class, this::onDefaultServerCreate)
                .onMessage(PausedWork.DomainKill.class, this::onDomainKill)
                .onMessage(PausedWork.DomainKillPreempted.class, this::killPreempted)
                .build());
    }

    /**
     * {@code domain_pause}, then {@code work}: at once when the pause is in effect (a nested pause, or no
     * vCPU to wait for), else stashed until every vCPU has stopped. Entered from running only, where the
     * stash holds nothing not being unstashed, so the work is the first thing unstashed.
     */
    private <W extends PausedWork> Behavior<DomainMessage> whenPaused(W work,
                                                                     Function<W, Behavior<DomainMessage>> run) {
        if (pause.pause()) {
            return run.apply(work);
        }
        stash.stash(work);
        return pausing;
    }

    /** A dm_op: answered now, or (create, set_state, destroy) run paused once its checks have passed. */
    private Behavior<DomainMessage> onDmOp(DmOpRequest m) {
        DmOps.Plan plan = dmOps.plan(m.callerDomid(), m.op());
        if (plan instanceof DmOps.Paused p) {
            return whenPaused(new PausedWork.DmOpPaused(m, p), this::onDmOpPaused);
        }
        m.replyTo().tell(new HypercallResult(m.seq(), ((DmOps.Done) plan).result()));
        return this;
    }

    private Behavior<DomainMessage> onDmOpPaused(PausedWork.DmOpPaused w) {
        DmOpRequest m = w.request();
        m.replyTo().tell(new HypercallResult(m.seq(), faultsCrash(() -> dmOps.runPaused(w.op()))));
        pause.release();
        return this;
    }

    private Behavior<DomainMessage> onAcquireResource(AcquireResource m) {
        m.replyTo().tell(new HypercallResult(m.seq(), dmOps.acquireResource(m.callerDomid(), m.type(), m.id(),
                m.frame(), m.nrFrames(), m.translatedCaller())));
        return this;
    }

    private Behavior<DomainMessage> onSetParam(SetParam m) {
        m.replyTo().tell(new HypercallResult(m.seq(), faultsCrash(() -> params.set(m.guest(), m.callerDomid(),
                m.index(), m.value()).map(x -> HypercallOutput.None.INSTANCE))));
        return this;
    }

    /** Get permission, then (pre-seed) a toolstack read of 5/6/26 before creation finished creates the default server. */
    private Behavior<DomainMessage> onGetParam(GetParam m) {
        Errno perm = params.getPermission(m.guest(), m.index());
        if (perm != null) {
            m.replyTo().tell(new HypercallResult(m.seq(), Result.err(perm)));
            return this;
        }
        boolean createsDefault = config.options().legacyDefaultServer() && !creationFinished
                && (m.index() == HvmParam.IOREQ_PFN || m.index() == HvmParam.BUFIOREQ_PFN
                    || m.index() == HvmParam.BUFIOREQ_EVTCHN);
        if (!createsDefault) {
            m.replyTo().tell(paramValue(m));
            return this;
        }
        return whenPaused(new PausedWork.DefaultServerCreate(m), this::onDefaultServerCreate);
    }

    private Behavior<DomainMessage> onDefaultServerCreate(PausedWork.DefaultServerCreate w) {
        GetParam m = w.request();
        Result<HvmIoreqServer> rc = servers.createDefault(m.callerDomid());
        if (!rc.isOk() && rc.errnoOrNull() != Errno.EEXIST) {
            m.replyTo().tell(new HypercallResult(m.seq(), Result.err(rc.errnoOrNull())));
        } else {
            m.replyTo().tell(paramValue(m));
        }
        pause.release();
        return this;
    }

    private HypercallResult paramValue(GetParam m) {
        return new HypercallResult(m.seq(), Result.ok(new HypercallOutput.ParamValue(params.get(m.index()))));
    }

    private Behavior<DomainMessage> onPause(Pause m) {
        pause.toolstackPause();
        return whenPaused(new PausedWork.ToolstackPause(m), this::onToolstackPaused);
    }

    private Behavior<DomainMessage> onToolstackPaused(PausedWork.ToolstackPause w) {
        w.command().replyTo().tell(Done.getInstance());
        return this;
    }

    private Behavior<DomainMessage> onUnpause(Unpause m) {
        if (!pause.toolstackUnpause()) {
            m.replyTo().tell(Result.err(Errno.EINVAL));
            return this;
        }
        creationFinished = true;
        m.replyTo().tell(Result.ok(0L));
        return this;
    }

    private Behavior<DomainMessage> onVcpuInitialise(PausedWork.VcpuInitialise w) {
        w.command().replyTo().tell(vcpus.initialise(servers, run.isDying(), pause::hold));
        pause.release();
        return this;
    }

    private Behavior<DomainMessage> onVcpuDestroy(PausedWork.VcpuDestroy w) {
        w.command().replyTo().tell(vcpus.destroy(servers, w.command().vcpuId()));
        pause.release();
        return this;
    }

    private Behavior<DomainMessage> onStartVcpus(StartVcpus m) {
        pause.wake();
        vcpus.tellAll(Vcpu.Start.INSTANCE);
        return this;
    }

    private Behavior<DomainMessage> onRunOnVcpu(RunOnVcpu m) {
        VcpuIo v = vcpus.get(m.vcpuId());
        if (v == null) {
            Outcome.Kind kind = run.state() == DomainState.CRASHED ? Outcome.Kind.DOMAIN_CRASHED : Outcome.Kind.ABANDONED;
            m.replyTo().tell(new Outcome(m.op(), kind, 0, 0, Route.NOWHERE, false));
        } else {
            pause.wake();
            v.vcpu().tell(new Vcpu.Run(m.op(), m.replyTo()));
        }
        return this;
    }

    private Behavior<DomainMessage> onInspectVcpu(InspectVcpu m) {
        VcpuIo v = vcpus.get(m.vcpuId());
        if (v != null) {
            v.vcpu().tell(new Vcpu.Inspect(m.replyTo(), pause.holdsUntold()));
        } else {
            m.replyTo().tell(new VcpuSnapshot(m.vcpuId(), vcpus.retiredState(m.vcpuId()), List.of(), Ioreq.ZERO,
                    0, 0));
        }
        return this;
    }

    private Behavior<DomainMessage> onShutdown(Shutdown m) {
        dying.shutdown(m);
        return this;
    }

    /** {@code domain_kill}: {@code domain_pause(d)} first (xen/common/domain.c), so no vCPU runs while it tears down. */
    private Behavior<DomainMessage> onKill(Kill m) {
        PausedWork.DomainKill work = new PausedWork.DomainKill(m);
        return run.isDying() ? onDomainKill(work) : whenPaused(work, this::onDomainKill);
    }

    /** {@code domain_kill} once paused (see {@link DomainDying#kill}): the pause is never released. */
    private Behavior<DomainMessage> onDomainKill(PausedWork.DomainKill w) {
        dying.kill(w);
        return this;
    }

    private Behavior<DomainMessage> killPreempted(PausedWork.DomainKillPreempted w) {
        dying.killPreempted(w);
        return this;
    }

    private Behavior<DomainMessage> onInspect(Inspect m) {
        m.replyTo().tell(snapshot());
        return this;
    }

    /** A vCPU actor failed: the domain crashes; a pause that waited for that vCPU may now be in effect. */
    private Behavior<DomainMessage> onVcpuFailed(VcpuRequest.VcpuFailed failed) {
        Integer id = vcpus.failed(failed.vcpu());
        if (id != null) {
            pause.forget(id);
        }
        run.crash(failed.cause());
        return pause.awaitingAcks() ? Behaviors.same() : stash.unstashAll(this);
    }

    /** Runs a Xen operation; a hypervisor fault crashes this domain instead of the host. */
    private <T> Result<T> faultsCrash(Supplier<Result<T>> op) {
        try {
            return op.get();
        } catch (HypervisorFault fault) {
            requests.hypervisorFault(fault);
            return Result.err(Errno.EINVAL);
        }
    }

    private DomainSnapshot snapshot() {
        List<ServerSnapshot> list = new ArrayList<>();
        for (HvmIoreqServer s : servers.slots) {
            if (s != null) {
                list.add(Snapshots.server(s));
            }
        }
        return new DomainSnapshot(domid, config.name(), run.reported(), pause.count(), requests.pciCf8(), list, vcpus.keys(),
                run.crashReason(), List.copyOf(findings), counters.asMap());
    }

    /** What {@link XenInspector} reads (plain reads: the inspector documents when they are meaningful). */
    private final class InspectionSource implements XenInspector.Source {
        @Override
        public DomainState state() {
            return run.state();
        }

        @Override
        public int pauseCount() {
            return pause.count();
        }

        @Override
        public boolean pauseInEffect() {
            return pause.count() > 0 && !pause.awaitingAcks();
        }

        @Override
        public long pciCf8() {
            return requests.pciCf8();
        }

        @Override
        public List<Integer> vcpuIds() {
            return vcpus.keys();
        }

        @Override
        public VcpuIo vcpu(int vcpuId) {
            return vcpus.get(vcpuId);
        }
    }

    @Override
    public String toString() {
        return "domain " + domid + " (" + Objects.toString(config.name()) + ")";
    }
}
