package org.ioreqsim.ioreq.hypercall;

/**
 * Everything the hypervisor actor receives. Hypercall requests are defined here, below the domain
 * module, so that an emulator can make them; the hypervisor's own protocol extends this interface.
 */
public interface HypervisorMessage {
}
