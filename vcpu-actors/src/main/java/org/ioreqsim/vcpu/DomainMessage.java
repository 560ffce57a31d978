package org.ioreqsim.vcpu;

/**
 * Everything a domain actor receives. Its vCPUs' requests ({@link VcpuRequest}) are defined here,
 * below the domain module, so that a vCPU can talk to its domain without a message adapter on the
 * per-request path; the domain's own protocol extends this interface too. Both sub-protocols are
 * sealed; only this common root is open, because Java cannot seal across modules.
 */
public interface DomainMessage {
}
