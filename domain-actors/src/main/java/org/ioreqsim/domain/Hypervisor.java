package org.ioreqsim.domain;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.DmOpCall;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * Xen's domain table and hypercall entry: creates and destroys domains (domids allocated by a rover,
 * dom0 present from the start), and runs the preamble every hypercall of the ioreq subsystem shares —
 * domain lookup, the self check, XSM, the dm_op header — before handing the call to the target's
 * {@link Domain} actor, which answers the caller directly.
 */
public final class Hypervisor extends AbstractBehavior<HypervisorMessage> {

    /** The hypervisor's own protocol ({@link HypercallRequest} is the other half). */
    public sealed interface Command extends HypervisorMessage {
    }

    /** Create a domain; {@code domid} -1 picks the next free one. */
    public record CreateDomain(DomainConfig config, int domid, ActorRef<DomainCreated> replyTo) implements Command {
        public CreateDomain {
            Objects.requireNonNull(config, "config");
        }
    }

    /** The new domain's id and actor, or an errno (EEXIST for a taken domid, EINVAL for a bad one). */
    public record DomainCreated(Result<Integer> domid, ActorRef<Domain.Command> domain) {
    }

    /** {@code domain_kill} then removal; ESRCH for an unknown domain. */
    public record DestroyDomain(int domid, ActorRef<Result<Long>> replyTo) implements Command {
    }

    public record GetDomain(int domid, ActorRef<DomainLookup> replyTo) implements Command {
    }

    /** A live domain's actor, or {@code null}. */
    public record DomainLookup(int domid, ActorRef<Domain.Command> domain) {
    }

    public record ListDomains(ActorRef<List<Integer>> replyTo) implements Command {
    }

    /** The domain finished {@code domain_kill}: reap it. */
    private record DomainKilled(Domain.Killed killed) implements Command {
    }

    /** Domain {@code domid}'s actor stopped (the watch set up when it was spawned). */
    private record DomainStopped(int domid) implements Command {
    }

    /** What the hypervisor knows of each domain: enough for XSM. */
    private record Entry(DomainConfig config, ActorRef<Domain.Command> ref) {
    }

    /** First domid the rover may not hand out ({@code DOMID_FIRST_RESERVED}). */
    private static final int DOMID_FIRST_RESERVED = 0x7FF0;

    public static Behavior<HypervisorMessage> create(Host host, XenOptions options, WorkloadFactory workloads) {
        return create(host, options, workloads, null);
    }

    /** A hypervisor whose guests (not dom0) select servers with {@code selector} (tests; null: Xen's). */
    public static Behavior<HypervisorMessage> create(Host host, XenOptions options, WorkloadFactory workloads,
                                                     ServerSelector selector) {
        return Behaviors.setup(ctx -> new Hypervisor(ctx, host, options, workloads, selector));
    }

    private final Host host;
    private final WorkloadFactory workloads;
    private final ServerSelector selector;
    private final Map<Integer, Entry> domains = new TreeMap<>();
    private final Map<Integer, List<ActorRef<Result<Long>>>> destroying = new TreeMap<>();
    /**
     * Killed domains that ioreq servers of other domains still refer to as their emulator (H21): dead,
     * unreachable, but their domids are not free until the last such server goes ({@link DomainRefs}).
     */
    private final java.util.Set<Integer> zombies = new java.util.TreeSet<>();
    private final ActorRef<Domain.Killed> killedAdapter;
    private int rover;

    private Hypervisor(ActorContext<HypervisorMessage> ctx, Host host, XenOptions options, WorkloadFactory workloads,
                       ServerSelector selector) {
        super(ctx);
        this.host = host;
        this.selector = selector;
        this.workloads = workloads;
        this.killedAdapter = ctx.messageAdapter(Domain.Killed.class, DomainKilled::new);
        spawnDomain(Xen.DOM0, DomainConfig.dom0(options));
    }

    @Override
    public Receive<HypervisorMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(HypercallRequest.class, this::onHypercall)
                .onMessage(CreateDomain.class, this::onCreateDomain)
                .onMessage(DestroyDomain.class, this::onDestroyDomain)
                .onMessage(GetDomain.class, this::onGetDomain)
                .onMessage(ListDomains.class, this::onListDomains)
                .onMessage(DomainKilled.class, this::onDomainKilled)
                .onMessage(DomainStopped.class, this::onDomainStopped)
                .build();
    }

    private Behavior<HypervisorMessage> onHypercall(HypercallRequest r) {
        Hypercall call = r.call();
        if (call instanceof Hypercall.DmOpHypercall d) {
            dmOp(r, d);
        } else if (call instanceof Hypercall.AcquireResource a) {
            acquireResource(r, a);
        } else if (call instanceof Hypercall.SetParam s) {
            param(r, s.domid(), s.index(), (target, guest) -> new Domain.SetParam(r.callerDomid(), guest,
                    (int) s.index(), s.value(), r.seq(), r.replyTo()));
        } else if (call instanceof Hypercall.GetParam g) {
            param(r, g.domid(), g.index(), (target, guest) -> new Domain.GetParam(r.callerDomid(), guest,
                    (int) g.index(), r.seq(), r.replyTo()));
        }
        return this;
    }

    /**
     * {@code do_dm_op} / {@code dm_op}: E2BIG(nr_bufs > 2) -> ESRCH -> EPERM(target is the caller) ->
     * 0 for a non-HVM target -> EPERM(XSM DM_PRIV) -> EFAULT(buffer < header) -> EOPNOTSUPP(op >= 19) ->
     * EFAULT(buffer < header + payload) -> EINVAL(header pad) -> the op.
     */
    private void dmOp(HypercallRequest r, Hypercall.DmOpHypercall d) {
        DmOpCall c = d.call();
        Result<Entry> target = Long.compareUnsigned(c.nrBufs(), 2) > 0 ? Result.err(Errno.E2BIG)
                : lookupRemote(r.callerDomid(), d.domid());
        if (!target.isOk()) {
            reply(r, target.errnoOrNull());
            return;
        }
        Entry t = target.value();
        Errno e = null;
        long op = c.op().op();
        if (!t.config().hvm()) {
            r.replyTo().tell(new HypercallResult(r.seq(), Result.ok(HypercallOutput.None.INSTANCE)));
            return;
        } else if (!dmPriv(r.callerDomid(), (int) d.domid())) {
            e = Errno.EPERM;
        } else if (c.nrBufs() == 0 || Long.compareUnsigned(c.bufSize(), 8) < 0) {
            e = Errno.EFAULT;
        } else if (Long.compareUnsigned(op, Xen.DMOP_MAX) > 0) {
            e = Errno.EOPNOTSUPP;
        } else if (Long.compareUnsigned(c.bufSize(), 8L + DmOp.payloadSize(op)) < 0) {
            e = Errno.EFAULT;
        } else if (c.headerPad() != 0) {
            e = Errno.EINVAL;
        } else if (op == 0) {
            e = Errno.EOPNOTSUPP;
        }
        if (e != null) {
            reply(r, e);
            return;
        }
        t.ref().tell(new Domain.DmOpRequest(r.callerDomid(), c.op(), r.seq(), r.replyTo()));
    }

    /**
     * {@code acquire_resource}: EINVAL(flags) -> no frame list: EINVAL if nr_frames, else the maximum
     * -> E2BIG(> 32) -> ESRCH/EPERM(lookup) -> EPERM(XSM DM_PRIV) -> by type in the domain: grant table
     * ({@code acquire_grant_table}), ioreq server (EINVAL if the id is not 16 bits, then per frame),
     * else EOPNOTSUPP ({@code arch_acquire_resource}).
     */
    private void acquireResource(HypercallRequest r, Hypercall.AcquireResource a) {
        if (a.flags() != 0) {
            reply(r, Errno.EINVAL);
            return;
        }
        if (a.frameListNull()) {
            if (a.nrFrames() != 0) {
                reply(r, Errno.EINVAL);
            } else {
                r.replyTo().tell(new HypercallResult(r.seq(), Result.ok(
                        new HypercallOutput.ResourceFrames(List.of(), Xen.ACQUIRE_RESOURCE_MAX_FRAMES))));
            }
            return;
        }
        if (Long.compareUnsigned(a.nrFrames(), Xen.ACQUIRE_RESOURCE_MAX_FRAMES) > 0) {
            reply(r, Errno.E2BIG);
            return;
        }
        Result<Entry> target = lookupRemote(r.callerDomid(), a.domid());
        Errno e = target.errnoOrNull();
        if (e == null && !dmPriv(r.callerDomid(), (int) a.domid())) {
            e = Errno.EPERM;
        }
        if (e != null) {
            reply(r, e);
            return;
        }
        Entry caller = domains.get(r.callerDomid());
        boolean translated = caller != null && caller.config().hvm() && r.callerDomid() != 0;
        target.value().ref().tell(new Domain.AcquireResource(r.callerDomid(), a.type(), a.id(), a.frame(),
                a.nrFrames(), translated, r.seq(), r.replyTo()));
    }

    /** How a param op becomes a domain command once the generic checks pass. */
    @FunctionalInterface
    private interface ParamCommand {
        Domain.Command make(int target, boolean guest);
    }

    /**
     * {@code hvmop_set_param} / {@code hvmop_get_param}: EINVAL(index >= 39) -> ESRCH (DOMID_SELF
     * allowed) -> EINVAL(not HVM) -> EPERM(XSM TARGET) -> per-index rules in the domain.
     */
    private void param(HypercallRequest r, long domid, long index, ParamCommand command) {
        if (Long.compareUnsigned(index, HvmParam.NR_PARAMS) >= 0) {
            reply(r, Errno.EINVAL);
            return;
        }
        int target = domid == Xen.DOMID_SELF ? r.callerDomid() : (int) Math.min(domid, Integer.MAX_VALUE);
        Entry t = domains.get(target);
        Errno e = null;
        if (t == null || domid < 0 || domid > 0xFFFF) {
            e = Errno.ESRCH;
        } else if (!t.config().hvm()) {
            e = Errno.EINVAL;
        } else if (r.callerDomid() != target && !dmPriv(r.callerDomid(), target)) {
            e = Errno.EPERM;
        }
        if (e != null) {
            reply(r, e);
            return;
        }
        t.ref().tell(command.make(target, r.callerDomid() == target));
    }

    /** {@code rcu_lock_remote_domain_by_id}: ESRCH if unknown, EPERM if it is the caller itself. */
    private Result<Entry> lookupRemote(int caller, long domid) {
        Entry t = domid >= 0 && domid <= 0xFFFF ? domains.get((int) domid) : null;
        if (t == null) {
            return Result.err(Errno.ESRCH);
        }
        if (domid == caller) {
            return Result.err(Errno.EPERM);
        }
        return Result.ok(t);
    }

    /** XSM {@code XSM_DM_PRIV}: the caller is privileged, or a stub domain created for this target. */
    private boolean dmPriv(int caller, int target) {
        Entry c = domains.get(caller);
        return c != null && (c.config().privileged() || c.config().targetDomid() == target);
    }

    private Behavior<HypervisorMessage> onCreateDomain(CreateDomain m) {
        int domid = m.domid();
        if (domid >= DOMID_FIRST_RESERVED || domid < -1) {
            m.replyTo().tell(new DomainCreated(Result.err(Errno.EINVAL), null));
            return this;
        }
        if (domid >= 0 && !isFree(domid)) {
            m.replyTo().tell(new DomainCreated(Result.err(Errno.EEXIST), null));
            return this;
        }
        if (domid < 0) {
            domid = nextDomid();
            if (domid < 0) {
                m.replyTo().tell(new DomainCreated(Result.err(Errno.ENOMEM), null));
                return this;
            }
        }
        ActorRef<Domain.Command> ref = spawnDomain(domid, m.config());
        m.replyTo().tell(new DomainCreated(Result.ok(domid), ref));
        return this;
    }

    /**
     * The domain is killed but stays in the table, answering as a dying domain, until its kill is done
     * and it is reaped; then lookups answer ESRCH.
     */
    private Behavior<HypervisorMessage> onDestroyDomain(DestroyDomain m) {
        Entry e = domains.get(m.domid());
        if (e == null || m.domid() == Xen.DOM0) {
            m.replyTo().tell(Result.err(e == null ? Errno.ESRCH : Errno.EPERM));
            return this;
        }
        List<ActorRef<Result<Long>>> waiting = destroying.computeIfAbsent(m.domid(), k -> new ArrayList<>());
        waiting.add(m.replyTo());
        if (waiting.size() == 1) {
            e.ref().tell(new Domain.Kill(killedAdapter));
        }
        return this;
    }

    private Behavior<HypervisorMessage> onDomainKilled(DomainKilled m) {
        int domid = m.killed().domid();
        if (DomainRefs.on(host).held(domid) > 0) {
            zombies.add(domid);
        }
        Entry e = domains.remove(domid);
        if (e != null) {
            e.ref().tell(Domain.Reap.INSTANCE);
        }
        host.unregister(domid);
        for (ActorRef<Result<Long>> r : destroying.getOrDefault(domid, List.of())) {
            r.tell(Result.ok(0L));
        }
        destroying.remove(domid);
        return this;
    }

    private Behavior<HypervisorMessage> onGetDomain(GetDomain m) {
        Entry e = domains.get(m.domid());
        m.replyTo().tell(new DomainLookup(m.domid(), e == null ? null : e.ref()));
        return this;
    }

    private Behavior<HypervisorMessage> onListDomains(ListDomains m) {
        m.replyTo().tell(List.copyOf(new ArrayList<>(domains.keySet())));
        return this;
    }

    /** A domain actor stopped on its own (it never should): forget it. */
    private Behavior<HypervisorMessage> onDomainStopped(DomainStopped m) {
        if (domains.remove(m.domid()) != null) {
            getContext().getLog().error("domain {} stopped unexpectedly", m.domid());
            host.unregister(m.domid());
        }
        return this;
    }

    private ActorRef<Domain.Command> spawnDomain(int domid, DomainConfig config) {
        ActorRef<Domain.Command> ref = getContext().spawn(Domain.create(domid, config, host, workloads,
                domid == Xen.DOM0 ? null : selector), "domain-" + domid).narrow();
        getContext().watchWith(ref, new DomainStopped(domid));
        domains.put(domid, new Entry(config, ref));
        return ref;
    }

    /**
     * {@code is_free_domid}: no live domain has it, and no zombie: a killed emulator domain stays on
     * Xen's domain list until the servers that refer to it are gone (then it is released, seen here
     * the next time its domid is asked for).
     */
    private boolean isFree(int domid) {
        if (domains.containsKey(domid)) {
            return false;
        }
        if (zombies.contains(domid) && DomainRefs.on(host).held(domid) == 0) {
            zombies.remove(domid);
        }
        return !zombies.contains(domid);
    }

    /** The domid rover: the next unused id after the last one handed out, wrapping below the reserved ids. */
    private int nextDomid() {
        for (int i = 0; i < DOMID_FIRST_RESERVED; i++) {
            rover = rover + 1 >= DOMID_FIRST_RESERVED ? 1 : rover + 1;
            if (isFree(rover)) {
                return rover;
            }
        }
        return -1;
    }

    private static void reply(HypercallRequest r, Errno e) {
        r.replyTo().tell(new HypercallResult(r.seq(), Result.err(e)));
    }
}
