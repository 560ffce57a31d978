package org.ioreqsim.vcpu;

/**
 * What a guest vCPU runs: a source of operations and a sink for their outcomes. A workload belongs to
 * one vCPU and is called only from that vCPU's actor.
 */
public interface Workload {

    /** The next operation, or {@code null} when the vCPU has nothing more to do. */
    GuestOp next();

    /** How the operation {@link #next()} returned last ended. */
    void completed(Outcome outcome);

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
