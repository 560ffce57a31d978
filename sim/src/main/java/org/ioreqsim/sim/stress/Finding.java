package org.ioreqsim.sim.stress;

/**
 * A known hazard of Xen (spec section 16) that a schedule reached: behaviour Xen really has (at the
 * seed, or even at HEAD), reported by name rather than as a failure.
 *
 * @param name   the hazard, e.g. {@code H1}, {@code H1-stale}, {@code H14}
 * @param detail what happened
 * @param step   the step at which it was seen
 */
public record Finding(String name, String detail, int step) {
    @Override
    public String toString() {
        return name + " at step " + step + ": " + detail;
    }
}
