package org.ioreqsim.domain;

/**
 * A state in which Xen itself would dereference a missing page or hit a BUG (hazard H12 and its
 * relatives). The simulation refuses the operation and crashes the target domain instead of the host,
 * and reports it as a finding.
 */
final class HypervisorFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HypervisorFault(String message) {
        super(message, null, false, false);
    }
}
