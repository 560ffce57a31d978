package org.ioreqsim.vcpu;

/**
 * What Xen handles with {@code domain_crash()}, raised on the vCPU that found it. The vCPU actor stops
 * with it; its domain, which watches its vCPUs, turns the failure into the domain's crash.
 */
public final class DomainCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DomainCrash(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
