package org.ioreqsim.domain;

import java.util.List;
import java.util.Objects;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;

/**
 * How to build one domain.
 *
 * @param name           a label for reports
 * @param vcpus          vCPUs at creation (0..128)
 * @param vendor         guest CPU vendor (AMD matters for extended CF8 decode)
 * @param cpuFamily      guest CPU family
 * @param hvm            an HVM guest (dm_ops on a non-HVM target do nothing at the seed)
 * @param hap            hardware-assisted paging (map_mem_type needs it)
 * @param maxEvtchnPort  highest event-channel port
 * @param emulatedVga    Xen's stdvga handler is present (VGA window writes go buffered)
 * @param intercepts     Xen's internal emulators besides the CF8 latch
 * @param ram            populated guest frames, as inclusive [first, last] gfn pairs
 * @param privileged     a control domain (passes XSM privilege checks)
 * @param targetDomid    for a device-model stub domain, the domain it serves (-1: none)
 * @param createPaused   created paused; creation finishes at the first unpause
 * @param nbCfgExtendedCf8 the host's NB_CFG enables extended CF8 (AMD)
 * @param options        Xen version flags
 * @param bufioreqRingStart simulation knob, not Xen: the 32-bit value a freshly allocated buffered ring's
 *                       read and write pointers start at (Xen zeroes the page: 0), so that a test can
 *                       start rings near a wrap (511, 2^32; spec 8.2) without filling them first
 */
public record DomainConfig(String name, int vcpus, CpuVendor vendor, int cpuFamily, boolean hvm, boolean hap,
                           int maxEvtchnPort, boolean emulatedVga, List<InterceptSpec> intercepts, List<long[]> ram,
                           boolean privileged, int targetDomid, boolean createPaused, boolean nbCfgExtendedCf8,
                           XenOptions options, long bufioreqRingStart) {

    public enum CpuVendor {
        INTEL, AMD
    }

    /** Guest RAM below the VGA hole and up to 1 GiB, plus libxc's special pages at 0xFEFF0..0xFEFFF. */
    public static final List<long[]> DEFAULT_RAM = List.of(new long[] {0x0, 0x9F}, new long[] {0x100, 0x3FFFF},
            new long[] {0xFEFF0, 0xFEFFF});

    public DomainConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vendor, "vendor");
        intercepts = List.copyOf(intercepts);
        ram = List.copyOf(ram);
        Objects.requireNonNull(options, "options");
    }

    /** An HVM guest with {@code vcpus} vCPUs and defaults for everything else. */
    public static DomainConfig guest(String name, int vcpus, XenOptions options) {
        return new DomainConfig(name, vcpus, CpuVendor.INTEL, 6, true, true, Xen.DEFAULT_MAX_EVTCHN_PORT, false,
                List.of(), DEFAULT_RAM, false, -1, false, false, options, 0);
    }

    /** The privileged control domain (dom0): no vCPUs modelled, not HVM. */
    public static DomainConfig dom0(XenOptions options) {
        return new DomainConfig("dom0", 0, CpuVendor.INTEL, 6, false, true, Xen.EVTCHN_2L_NR_CHANNELS - 1, false,
                List.of(), List.of(), true, -1, false, false, options, 0);
    }

    /** A device-model stub domain serving {@code target}. */
    public static DomainConfig stubdom(String name, int target, XenOptions options) {
        return new DomainConfig(name, 0, CpuVendor.INTEL, 6, false, true, Xen.EVTCHN_2L_NR_CHANNELS - 1, false,
                List.of(), List.of(), false, target, false, false, options, 0);
    }

    /** Fresh buffered rings start with both pointers at {@code start} (a simulation knob; Xen: 0). */
    public DomainConfig withBufioreqRingStart(long start) {
        return new DomainConfig(name, vcpus, vendor, cpuFamily, hvm, hap, maxEvtchnPort, emulatedVga, intercepts, ram,
                privileged, targetDomid, createPaused, nbCfgExtendedCf8, options, start & 0xFFFFFFFFL);
    }

    public DomainConfig withVcpus(int n) {
        return new DomainConfig(name, n, vendor, cpuFamily, hvm, hap, maxEvtchnPort, emulatedVga, intercepts, ram,
                privileged, targetDomid, createPaused, nbCfgExtendedCf8, options, bufioreqRingStart);
    }

    public DomainConfig withEmulatedVga(boolean vga) {
        return new DomainConfig(name, vcpus, vendor, cpuFamily, hvm, hap, maxEvtchnPort, vga, intercepts, ram,
                privileged, targetDomid, createPaused, nbCfgExtendedCf8, options, bufioreqRingStart);
    }

    public DomainConfig withIntercepts(List<InterceptSpec> list) {
        return new DomainConfig(name, vcpus, vendor, cpuFamily, hvm, hap, maxEvtchnPort, emulatedVga, list, ram,
                privileged, targetDomid, createPaused, nbCfgExtendedCf8, options, bufioreqRingStart);
    }

    public DomainConfig withMaxEvtchnPort(int max) {
        return new DomainConfig(name, vcpus, vendor, cpuFamily, hvm, hap, max, emulatedVga, intercepts, ram,
                privileged, targetDomid, createPaused, nbCfgExtendedCf8, options, bufioreqRingStart);
    }

    public DomainConfig withCpu(CpuVendor v, int family, boolean nbCfg) {
        return new DomainConfig(name, vcpus, v, family, hvm, hap, maxEvtchnPort, emulatedVga, intercepts, ram,
                privileged, targetDomid, createPaused, nbCfg, options, bufioreqRingStart);
    }

    public DomainConfig withHap(boolean on) {
        return new DomainConfig(name, vcpus, vendor, cpuFamily, hvm, on, maxEvtchnPort, emulatedVga, intercepts, ram,
                privileged, targetDomid, createPaused, nbCfgExtendedCf8, options, bufioreqRingStart);
    }

    public DomainConfig withHvm(boolean on) {
        return new DomainConfig(name, vcpus, vendor, cpuFamily, on, hap, maxEvtchnPort, emulatedVga, intercepts, ram,
                privileged, targetDomid, createPaused, nbCfgExtendedCf8, options, bufioreqRingStart);
    }

    public DomainConfig withCreatePaused(boolean on) {
        return new DomainConfig(name, vcpus, vendor, cpuFamily, hvm, hap, maxEvtchnPort, emulatedVga, intercepts, ram,
                privileged, targetDomid, on, nbCfgExtendedCf8, options, bufioreqRingStart);
    }

    public DomainConfig withRam(List<long[]> gfnRanges) {
        return new DomainConfig(name, vcpus, vendor, cpuFamily, hvm, hap, maxEvtchnPort, emulatedVga, intercepts,
                gfnRanges, privileged, targetDomid, createPaused, nbCfgExtendedCf8, options, bufioreqRingStart);
    }

    /**
     * Xen decodes CF8 bits 27..24 only for AMD guests with {@code 0x10 < family <= 0x17} (seed) on a host
     * whose NB_CFG enables it.
     */
    public boolean amdExtendedCf8Applies() {
        return vendor == CpuVendor.AMD && cpuFamily > 0x10 && cpuFamily <= 0x17 && nbCfgExtendedCf8;
    }
}
