package org.ioreqsim.vcpu;

import org.ioreqsim.ioreq.Route;

/**
 * What a guest vCPU runs: a source of operations and a sink for their outcomes. A workload belongs to
 * one vCPU and is called only from that vCPU's actor.
 */
public interface Workload {

    /** The next operation, or {@code null} when the vCPU has nothing more to do. */
    GuestOp next();

    /** How the operation {@link #next()} returned last ended. */
    void completed(Outcome outcome);

    /**
     * {@link #completed(Outcome)} given the outcome's fields, which is what the vCPU calls: a workload
     * that reads them without keeping the outcome overrides this and allocates nothing per operation.
     */
    default void completed(GuestOp op, Outcome.Kind kind, long value, long reps, Route route,
                           boolean buffered, int passes) {
        completed(new Outcome(op, kind, value, reps, route, buffered, passes));
    }

    /** A workload that does nothing (the vCPU idles until it is given operations). */
    Workload IDLE = new Workload() {
        @Override
        public GuestOp next() {
            return null;
        }

        @Override
        public void completed(Outcome outcome) {
        }
    };
}
