package org.ioreqsim.vcpu;

/** A vCPU's state as the simulation reports it (spec section 17). */
public enum VcpuState {
    /** Runnable: executing guest code, thinking, or idle. */
    RUNNING,
    /** Blocked in Xen until the servers holding its request answer. */
    BLOCKED_ON_IOREQ,
    /** Blocked in Xen on a request whose server entry was destroyed: nothing will wake it (hazard H1). */
    BLOCKED_ORPHANED,
    PAUSED,
    CRASHED,
    /** Stopped because its domain is shutting down. */
    SHUTDOWN,
    /** Removed, or its domain is gone. */
    OFFLINE
}
