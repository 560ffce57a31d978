package org.ioreqsim.domain;

/** A domain's state as reported (spec section 17). */
public enum DomainState {
    RUNNING,
    /** Shutting down; vCPUs with I/O in flight defer the end of the shutdown. */
    SHUTTING_DOWN,
    SHUTDOWN,
    CRASHED,
    /** {@code domain_kill} in progress or done; the domain still answers (ENOENT) until it is gone. */
    DYING,
    DEAD
}
