package org.ioreqsim.sim.stress;

/**
 * A broken rule of the spec: the model did something Xen (as specified) never does.
 *
 * @param rule   the rule's name, e.g. {@code routing.disabled-server}
 * @param detail what happened
 * @param step   the schedule step at which it was seen (-1: at the end of the schedule)
 */
public record Violation(String rule, String detail, int step) {
    @Override
    public String toString() {
        return rule + " at step " + step + ": " + detail;
    }
}
