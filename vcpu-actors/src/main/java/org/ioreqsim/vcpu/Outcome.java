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
 */
public record Outcome(GuestOp op, Kind kind, long value, long reps, Route route, boolean buffered) {

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

    public Outcome {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(route, "route");
    }
}
