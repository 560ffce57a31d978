package org.ioreqsim.sim.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.GuestDevices;
import org.ioreqsim.sim.Mix;
import org.ioreqsim.sim.Scenario;

/**
 * A full simulation scenario, as a scenario file describes it: groups of guests with their devices
 * and workloads, lifecycle events during the run, and how long it runs.
 *
 * @param seed       the one seed of the run
 * @param requests   accesses per vCPU (0: run for {@code duration})
 * @param duration   run length when {@code requests} is 0
 * @param think      guest time between accesses (closed loop)
 * @param openLoop   accesses arrive at {@code ratePerSec} per vCPU whatever the completions (latency then
 *                   counts from the arrival); closed loop otherwise
 * @param ratePerSec open-loop arrival rate per vCPU
 * @param emulators  where device models run
 * @param options    Xen version flags
 * @param groups     the guests
 * @param events     lifecycle events, by time
 */
public record ScenarioSpec(long seed, long requests, Duration duration, Duration think, boolean openLoop,
                           double ratePerSec, Scenario.EmulatorPlacement emulators, XenOptions options,
                           List<DomainGroup> groups, List<ScenarioEvent> events) {

    public ScenarioSpec {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(think, "think");
        Objects.requireNonNull(emulators, "emulators");
        Objects.requireNonNull(options, "options");
        groups = List.copyOf(groups);
        events = events.stream().sorted((a, b) -> a.at().compareTo(b.at())).toList();
    }

    /**
     * The scenario a {@code run} with flags describes: one group of identical guests, server 0 the
     * QEMU-like device model of {@link GuestDevices}, servers 1..n-1 a register bank and an MMIO page
     * each, and the {@link Mix} as weighted access templates.
     */
    public static ScenarioSpec of(Scenario s) {
        List<DomainGroup.ServerSpec> servers = new ArrayList<>();
        for (int k = 0; k < s.servers(); k++) {
            servers.add(new DomainGroup.ServerSpec(s.bufioreqMode(), true, k == 0 ? List.of(
                    new DeviceSpec(DeviceSpec.Kind.UART, GuestDevices.SERIAL, 8, 0, 0, 0, "serial0"),
                    new DeviceSpec(DeviceSpec.Kind.PCI, GuestDevices.BAR0, GuestDevices.BAR0_SIZE, GuestDevices.PCI_SBDF,
                            0x8086, 0x100E, "nic0"),
                    new DeviceSpec(DeviceSpec.Kind.RAM, GuestDevices.VGA, GuestDevices.VGA_SIZE, 0, 0, 0, "vga"))
                    : List.of(new DeviceSpec(DeviceSpec.Kind.REGISTERS, GuestDevices.extraPort(k), 8, 0, 0, 0, "bank" + k),
                    new DeviceSpec(DeviceSpec.Kind.RAM, GuestDevices.extraMmio(k), 0x1000, 0, 0, 0, "page" + k))));
        }
        DomainGroup group = new DomainGroup(s.domains(), s.vcpus(), s.emulatedVga(), DomainConfig.CpuVendor.INTEL, 6,
                List.of(), servers, templates(s.mix(), s.servers()));
        return new ScenarioSpec(s.seed(), s.requests(), s.duration(), s.think(), false, 0, s.emulators(), s.options(),
                List.of(group), List.of());
    }

    /**
     * A mix as templates, with the weights scaled so that kinds split over several templates (MMIO
     * reads and writes; the devices of servers 1..n-1) keep their share.
     */
    static List<AccessTemplate> templates(Mix mix, int servers) {
        int extra = servers - 1;
        int scale = 2 * Math.max(1, extra);
        List<AccessTemplate> t = new ArrayList<>();
        add(t, mix.serialWrite() * scale, "pio write 0x3f8 size=1");
        add(t, mix.serialStatus() * scale, "pio read 0x3fd size=1");
        add(t, mix.pciConfig() * scale, "pci read 00:03.0 reg=0-0x3f size=4");
        add(t, mix.mmio() * scale / 2, String.format("mmio read 0x%x-0x%x size=4", GuestDevices.BAR0,
                GuestDevices.BAR0 + GuestDevices.BAR0_SIZE - 1));
        add(t, mix.mmio() * scale / 2, String.format("mmio write 0x%x-0x%x size=4", GuestDevices.BAR0,
                GuestDevices.BAR0 + GuestDevices.BAR0_SIZE - 1));
        add(t, mix.vga() * scale, String.format("mmio write 0x%x-0x%x size=2", GuestDevices.VGA,
                GuestDevices.VGA + GuestDevices.VGA_SIZE - 1));
        int unclaimed = mix.unclaimed() + (extra == 0 ? mix.extraServers() : 0);
        add(t, unclaimed * scale, String.format("pio read 0x%x-0x%x size=1", GuestDevices.UNCLAIMED_PORT,
                GuestDevices.UNCLAIMED_PORT + 7));
        for (int k = 1; k <= extra; k++) {
            add(t, mix.extraServers(), String.format("pio write 0x%x-0x%x size=1", GuestDevices.extraPort(k),
                    GuestDevices.extraPort(k) + 7));
            add(t, mix.extraServers(), String.format("mmio read 0x%x-0x%x size=4", GuestDevices.extraMmio(k),
                    GuestDevices.extraMmio(k) + 0xFFF));
        }
        return t;
    }

    private static void add(List<AccessTemplate> t, int weight, String text) {
        if (weight > 0) {
            t.add(AccessTemplates.parse(weight, text));
        }
    }

    public long totalDomains() {
        return groups.stream().mapToLong(DomainGroup::count).sum();
    }

    public long totalVcpus() {
        return groups.stream().mapToLong(g -> (long) g.count() * g.vcpus()).sum();
    }

    /** Whether emulators live in stub domains (AUTO: when dom0's ports would not suffice). */
    public boolean useStubdoms() {
        if (emulators == Scenario.EmulatorPlacement.AUTO) {
            long ports = groups.stream().mapToLong(g -> (long) g.count() * g.servers().size() * (g.vcpus() + 1)).sum();
            return ports > 4000;
        }
        return emulators == Scenario.EmulatorPlacement.STUBDOM;
    }
}
