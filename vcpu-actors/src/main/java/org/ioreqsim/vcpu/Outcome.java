package org.ioreqsim.vcpu;

import java.util.Objects;
import org.ioreqsim.ioreq.Route;

/**
 * How one guest operation ended, as the guest sees it.
 *
 * @param op    the operation
 * @param kind  how it ended
 * @param value a read's value (the access size's low bytes), else 0
 * @param reps  repetitions done
 * @param route    where it was handled
 * @param buffered the write went into the server's buffered ring (the vCPU did not wait)
 * @param passes   how many times the instruction ran: a rep instruction cut short (at a page, a range,
 *                 or by an intercept) runs again for the rest ({@code put_rep_prefix})
 */
public record Outcome(GuestOp op, Kind kind, long value, long reps, Route route, boolean buffered, int passes) {

    public enum Kind {
        /** The access completed; reads carry their value. */
        DONE,
        /** MMIO emulation failed and Xen injected #GP(0) into the guest. */
        GP_FAULT,
        /** The domain crashed (PIO emulation failure, a bad ioreq state, ...). */
        DOMAIN_CRASHED,
        /** The domain was destroyed or the vCPU removed while the operation was in flight. */
        ABANDONED
    }

    /** An operation that ran once. */
    public Outcome(GuestOp op, Kind kind, long value, long reps, Route route, boolean buffered) {
        this(op, kind, value, reps, route, buffered, 1);
    }

    public Outcome {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(route, "route");
    }
}
