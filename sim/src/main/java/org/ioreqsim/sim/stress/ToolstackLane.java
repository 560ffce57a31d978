package org.ioreqsim.sim.stress;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;

/**
 * A domain's toolstack lane (dom0's libxl): pause and unpause, vCPU hotplug, HVM params, domain
 * destruction, one operation at a time. A command whose domain actor goes away unanswered counts as
 * answered by its absence.
 */
final class ToolstackLane extends AbstractBehavior<ToolstackLane.Msg> {

    sealed interface Msg {
    }

    private enum Go implements Msg {
        INSTANCE
    }

    private record Reply(Result<?> result) implements Msg {
    }

    private record Paused(Done done) implements Msg {
    }

    private record Answer(HypercallResult result) implements Msg {
    }

    private enum DomainGone implements Msg {
        INSTANCE
    }

    static Behavior<Msg> create(String lane, int domid, ActorRef<Domain.Command> domain, List<StressOp> ops,
                                ActorRef<HypervisorMessage> xen, Monitor monitor) {
        return Behaviors.setup(ctx -> {
            ctx.watchWith(domain, DomainGone.INSTANCE);
            ctx.getSelf().tell(Go.INSTANCE);
            return new ToolstackLane(ctx, lane, domid, domain, ops, xen, monitor);
        });
    }

    private final String lane;
    private final int domid;
    private final ActorRef<Domain.Command> domain;
    private final List<StressOp> ops;
    private final ActorRef<HypervisorMessage> xen;
    private final Monitor monitor;
    private final ActorRef<Result<?>> replies;
    private final ActorRef<Done> paused;
    private final ActorRef<HypercallResult> answers;
    private int next;
    private StressOp current;
    private boolean domainGone;
    private long seq;

    @SuppressWarnings("unchecked")
    private ToolstackLane(ActorContext<Msg> ctx, String lane, int domid, ActorRef<Domain.Command> domain,
                          List<StressOp> ops, ActorRef<HypervisorMessage> xen, Monitor monitor) {
        super(ctx);
        this.lane = lane;
        this.domid = domid;
        this.domain = domain;
        this.ops = ops;
        this.xen = xen;
        this.monitor = monitor;
        this.replies = (ActorRef<Result<?>>) (ActorRef<?>) ctx.messageAdapter(Result.class, Reply::new);
        this.paused = ctx.messageAdapter(Done.class, Paused::new);
        this.answers = ctx.messageAdapter(HypercallResult.class, Answer::new);
    }

    @Override
    public Receive<Msg> createReceive() {
        return newReceiveBuilder()
                .onMessage(Go.class, m -> next())
                .onMessage(Reply.class, m -> onReply(m.result()))
                .onMessage(Paused.class, m -> done(Result.ok(0)))
                .onMessage(Answer.class, m -> done(m.result().result()))
                .onMessage(DomainGone.class, m -> onDomainGone())
                .build();
    }

    private Behavior<Msg> next() {
        while (current == null && next < ops.size()) {
            current = ops.get(next++);
            monitor.laneOpStarted(lane, domid, current);
            if (!perform(current)) {
                monitor.laneOpDone(lane, domid, current, null);
                current = null;
            }
        }
        if (current == null) {
            monitor.laneFinished(lane);
        }
        return this;
    }

    private boolean perform(StressOp op) {
        if (op instanceof StressOp.SetParam p) {
            xen.tell(new HypercallRequest(Xen.DOM0, new Hypercall.SetParam(domid, p.index(), p.value()), ++seq, answers));
            return true;
        } else if (op instanceof StressOp.GetParam g) {
            xen.tell(new HypercallRequest(Xen.DOM0, new Hypercall.GetParam(domid, g.index()), ++seq, answers));
            return true;
        } else if (op instanceof StressOp.DestroyDomain) {
            xen.tell(new Hypervisor.DestroyDomain(domid, replyTo()));
            return true;
        } else if (op instanceof StressOp.RawSetState r) {
            dmOp(new DmOp.SetIoreqServerState(r.id(), r.enabled()));
            return true;
        } else if (op instanceof StressOp.RawDestroy r) {
            dmOp(new DmOp.DestroyIoreqServer(r.id()));
            return true;
        }
        if (domainGone) {
            return false;
        }
        if (op instanceof StressOp.Pause) {
            domain.tell(new Domain.Pause(paused));
        } else if (op instanceof StressOp.Unpause) {
            domain.tell(new Domain.Unpause(replyTo()));
        } else if (op instanceof StressOp.AddVcpu) {
            domain.tell(new Domain.AddVcpu(replyTo()));
        } else if (op instanceof StressOp.RemoveVcpu r) {
            domain.tell(new Domain.RemoveVcpu(r.vcpu(), replyTo()));
        } else {
            return false;
        }
        return true;
    }

    /** A dm_op from dom0, the toolstack, on the domain (answered by the hypervisor, domain gone or not). */
    private void dmOp(DmOp op) {
        xen.tell(new HypercallRequest(Xen.DOM0, Hypercall.DmOpHypercall.of(domid, op), ++seq, answers));
    }

    private Behavior<Msg> onReply(Result<?> r) {
        if (current instanceof StressOp.AddVcpu && r.isOk() && !domainGone) {
            domain.tell(Domain.StartVcpus.INSTANCE);
        }
        return done(r);
    }

    private Behavior<Msg> onDomainGone() {
        domainGone = true;
        boolean waiting = current != null && !(current instanceof StressOp.SetParam
                || current instanceof StressOp.GetParam || current instanceof StressOp.DestroyDomain
                || current instanceof StressOp.RawSetState || current instanceof StressOp.RawDestroy);
        return waiting ? done(null) : this;
    }

    private Behavior<Msg> done(Result<?> r) {
        if (current == null) {
            return this;
        }
        monitor.laneOpDone(lane, domid, current, r);
        current = null;
        return next();
    }

    @SuppressWarnings("unchecked")
    private <T> ActorRef<T> replyTo() {
        return (ActorRef<T>) (ActorRef<?>) replies;
    }
}
