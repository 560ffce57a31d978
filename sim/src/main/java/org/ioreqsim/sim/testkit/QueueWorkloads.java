package org.ioreqsim.sim.testkit;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.ioreqsim.sim.stress.Monitor;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.Workload;
import org.ioreqsim.vcpu.WorkloadFactory;

/** The guest side of a scenario: per vCPU, the operations the test queued, reported to the monitors. */
final class QueueWorkloads implements WorkloadFactory {

    private record Entry(GuestOp op, Pending<Outcome> outcome) {
    }

    private static final class Queue {
        final ArrayDeque<Entry> ops = new ArrayDeque<>();
        int incarnations;
    }

    private final Map<String, Queue> queues = new HashMap<>();
    private final Monitor monitor;

    QueueWorkloads(Monitor monitor) {
        this.monitor = monitor;
    }

    void enqueue(int domid, int vcpu, GuestOp op, Pending<Outcome> outcome) {
        queue(domid, vcpu).ops.add(new Entry(op, outcome));
    }

    private Queue queue(int domid, int vcpu) {
        return queues.computeIfAbsent(domid + "/" + vcpu, k -> new Queue());
    }

    @Override
    public Workload create(int domid, int vcpuId) {
        Queue q = queue(domid, vcpuId);
        int incarnation = ++q.incarnations;
        return new Workload() {
            private Entry current;

            @Override
            public GuestOp next() {
                current = q.ops.poll();
                if (current == null) {
                    return null;
                }
                monitor.guestOpStarted(domid, vcpuId, incarnation, current.op());
                return current.op();
            }

            @Override
            public void completed(Outcome outcome) {
                monitor.guestOpEnded(domid, vcpuId, incarnation, outcome);
                if (current != null) {
                    current.outcome().complete(outcome);
                    current = null;
                }
            }
        };
    }
}
