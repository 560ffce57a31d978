package org.ioreqsim.vcpu;

/** {@code enum hvm_io_completion}: what the vCPU re-runs once a response has been latched. */
public enum IoCompletion {
    NONE,
    MMIO,
    PIO
}
