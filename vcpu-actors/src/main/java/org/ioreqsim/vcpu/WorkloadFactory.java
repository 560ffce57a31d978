package org.ioreqsim.vcpu;

/** Makes the workload of each vCPU a domain creates (and of vCPUs added later). */
@FunctionalInterface
public interface WorkloadFactory {

    Workload create(int domid, int vcpuId);

    /** Every vCPU idles until it is handed operations. */
    WorkloadFactory IDLE = (domid, vcpuId) -> Workload.IDLE;
}
