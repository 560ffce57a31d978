package org.ioreqsim.sim.testkit;

import akka.actor.typed.ActorRef;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;

/** A guest of a {@link Testbed}: run guest operations on its vCPUs, pause it, hot-plug vCPUs, destroy it. */
public final class DomainHandle {
    private final Testbed testbed;
    private final int domid;
    private final ActorRef<Domain.Command> domain;
    private final QueueWorkloads workloads;

    DomainHandle(Testbed testbed, int domid, ActorRef<Domain.Command> domain, QueueWorkloads workloads) {
        this.testbed = testbed;
        this.domid = domid;
        this.domain = domain;
        this.workloads = workloads;
    }

    public int domid() {
        return domid;
    }

    /** Xen's state of this domain, read-only (read it between steps, that is from the test thread). */
    public XenInspector xen() {
        return testbed.inspector(domid);
    }

    /** The domain's actor, to send it commands of your own. */
    public ActorRef<Domain.Command> actor() {
        return domain;
    }

    /** Queues {@code op} on vCPU {@code vcpu}; the outcome comes when the vCPU has run it. */
    public Pending<Outcome> run(int vcpu, GuestOp op) {
        Pending<Outcome> p = new Pending<>(testbed, "d" + domid + " vCPU " + vcpu + " " + op);
        workloads.enqueue(domid, vcpu, op, p);
        domain.tell(Domain.StartVcpus.INSTANCE);
        return p;
    }

    /** Toolstack pause (answers once no vCPU runs guest code). */
    public Pending<Object> pause() {
        return testbed.ask(domain, r -> new Domain.Pause(Testbed.narrow(r)), "pause d" + domid);
    }

    @SuppressWarnings("unchecked")
    public Pending<Result<Long>> unpause() {
        return (Pending<Result<Long>>) (Pending<?>) testbed.ask(domain, r -> new Domain.Unpause(Testbed.narrow(r)),
                "unpause d" + domid);
    }

    @SuppressWarnings("unchecked")
    public Pending<Result<Integer>> addVcpu() {
        return (Pending<Result<Integer>>) (Pending<?>) testbed.ask(domain, r -> new Domain.AddVcpu(Testbed.narrow(r)),
                "add a vCPU to d" + domid);
    }

    @SuppressWarnings("unchecked")
    public Pending<Result<Integer>> removeVcpu(int vcpu) {
        return (Pending<Result<Integer>>) (Pending<?>) testbed.ask(domain,
                r -> new Domain.RemoveVcpu(vcpu, Testbed.narrow(r)), "remove vCPU " + vcpu + " of d" + domid);
    }

    /** {@code domain_kill} and reaping, through the hypervisor. */
    @SuppressWarnings("unchecked")
    public Pending<Result<Long>> destroy() {
        return (Pending<Result<Long>>) (Pending<?>) testbed.ask(testbed.hypervisor(),
                r -> new Hypervisor.DestroyDomain(domid, Testbed.narrow(r)), "destroy d" + domid);
    }
}
