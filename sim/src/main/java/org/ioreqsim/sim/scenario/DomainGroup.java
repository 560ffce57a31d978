package org.ioreqsim.sim.scenario;

import java.util.List;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.domain.InterceptSpec;
import org.ioreqsim.ioreq.BufioreqMode;

/**
 * {@code count} identical guests: their vCPUs, Xen's internal emulators, their ioreq servers with
 * devices, and what every vCPU does.
 *
 * @param count      how many such domains
 * @param vcpus      vCPUs each
 * @param vga        Xen's stdvga is present
 * @param vendor     guest CPU vendor
 * @param family     guest CPU family
 * @param intercepts Xen's internal emulators besides the CF8 latch
 * @param servers    the ioreq servers, in creation order
 * @param workload   what each vCPU draws from
 */
public record DomainGroup(int count, int vcpus, boolean vga, DomainConfig.CpuVendor vendor, int family,
                          List<InterceptSpec> intercepts, List<ServerSpec> servers, List<AccessTemplate> workload) {

    public DomainGroup {
        intercepts = List.copyOf(intercepts);
        servers = List.copyOf(servers);
        workload = List.copyOf(workload);
    }

    /** One ioreq server: its buffered mode, how it maps pages, its devices. */
    public record ServerSpec(BufioreqMode bufioreq, boolean resourceMapping, List<DeviceSpec> devices) {
        public ServerSpec {
            devices = List.copyOf(devices);
        }
    }
}
