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
 * @param vcpuWorkloads other workloads for some vCPU ids (the first that names a vCPU wins)
 */
public record DomainGroup(int count, int vcpus, boolean vga, DomainConfig.CpuVendor vendor, int family,
                          List<InterceptSpec> intercepts, List<ServerSpec> servers, List<AccessTemplate> workload,
                          List<VcpuWorkload> vcpuWorkloads) {

    public DomainGroup {
        intercepts = List.copyOf(intercepts);
        servers = List.copyOf(servers);
        workload = List.copyOf(workload);
        vcpuWorkloads = List.copyOf(vcpuWorkloads);
    }

    public DomainGroup(int count, int vcpus, boolean vga, DomainConfig.CpuVendor vendor, int family,
                       List<InterceptSpec> intercepts, List<ServerSpec> servers, List<AccessTemplate> workload) {
        this(count, vcpus, vga, vendor, family, intercepts, servers, workload, List.of());
    }

    /** A workload for the vCPU ids {@code first..last} of every domain of the group. */
    public record VcpuWorkload(int first, int last, List<AccessTemplate> workload) {
        public VcpuWorkload {
            workload = List.copyOf(workload);
        }
    }

    /** The workload of vCPU {@code id}. */
    public List<AccessTemplate> workloadOf(int id) {
        for (VcpuWorkload w : vcpuWorkloads) {
            if (id >= w.first() && id <= w.last()) {
                return w.workload();
            }
        }
        return workload;
    }

    /**
     * One ioreq server: its buffered mode, how it maps pages, its devices, and whether its emulator
     * runs on the pre-seed default server (Xen with {@code legacyDefaultServer} only: the server that
     * takes every access no other server claims, created by the first read of HVM_PARAM_IOREQ_PFN).
     */
    public record ServerSpec(BufioreqMode bufioreq, boolean resourceMapping, List<DeviceSpec> devices,
                             boolean defaultServer) {
        public ServerSpec {
            devices = List.copyOf(devices);
        }

        public ServerSpec(BufioreqMode bufioreq, boolean resourceMapping, List<DeviceSpec> devices) {
            this(bufioreq, resourceMapping, devices, false);
        }

        public ServerSpec onDefaultServer() {
            return new ServerSpec(bufioreq, resourceMapping, devices, true);
        }
    }

    /** Whether one of the servers runs on the default server (the domain is then built paused). */
    public boolean usesDefaultServer() {
        return servers.stream().anyMatch(ServerSpec::defaultServer);
    }

    /** The group as before the seed commit: its first server's emulator on the default server. */
    public DomainGroup withDefaultServer() {
        if (servers.isEmpty()) {
            return this;
        }
        List<ServerSpec> s = new java.util.ArrayList<>(servers);
        s.set(0, s.get(0).onDefaultServer());
        return new DomainGroup(count, vcpus, vga, vendor, family, intercepts, s, workload, vcpuWorkloads);
    }
}
