package org.ioreqsim.sim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.ioreq.BufioreqMode;

/**
 * The guests of a scenario given by {@code run}'s flags rather than a file: one group of identical
 * guests, server 0 the QEMU-like device model of {@link GuestDevices} (a serial port, a PCI function
 * with its MMIO BAR and the VGA window), servers 1..n-1 a register bank and an MMIO page each, and the
 * {@link Mix} as weighted access templates.
 *
 * @param domains      guest domains
 * @param vcpus        vCPUs per domain
 * @param servers      ioreq servers per domain (server 0 owns the standard devices)
 * @param mix          weights of the access kinds
 * @param bufioreqMode the mode servers are created with
 * @param emulatedVga  Xen's stdvga handler is present (VGA writes go buffered)
 */
public record BuiltInGuests(int domains, int vcpus, int servers, Mix mix, BufioreqMode bufioreqMode,
                            boolean emulatedVga) {

    /** 4 domains x 4 vCPUs, one server each, the default mix, an atomic buffered ring, VGA emulated by Xen. */
    public static final BuiltInGuests DEFAULT = new BuiltInGuests(4, 4, 1, Mix.DEFAULT, BufioreqMode.ATOMIC, true);

    public BuiltInGuests {
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(bufioreqMode, "bufioreqMode");
    }

    public BuiltInGuests withShape(int d, int v, int s) {
        return new BuiltInGuests(d, v, s, mix, bufioreqMode, emulatedVga);
    }

    public BuiltInGuests withMix(Mix m) {
        return new BuiltInGuests(domains, vcpus, servers, m, bufioreqMode, emulatedVga);
    }

    public BuiltInGuests withBufioreq(BufioreqMode m, boolean vga) {
        return new BuiltInGuests(domains, vcpus, servers, mix, m, vga);
    }

    /** The guests as a domain group. */
    public DomainGroup group() {
        List<DomainGroup.ServerSpec> specs = new ArrayList<>();
        for (int k = 0; k < servers; k++) {
            specs.add(new DomainGroup.ServerSpec(bufioreqMode, true, k == 0 ? List.of(
                    new DeviceSpec(DeviceSpec.Kind.UART, GuestDevices.SERIAL, 8, 0, 0, 0, "serial0"),
                    new DeviceSpec(DeviceSpec.Kind.PCI, GuestDevices.BAR0, GuestDevices.BAR0_SIZE, GuestDevices.PCI_SBDF,
                            0x8086, 0x100E, "nic0"),
                    new DeviceSpec(DeviceSpec.Kind.RAM, GuestDevices.VGA, GuestDevices.VGA_SIZE, 0, 0, 0, "vga"))
                    : List.of(new DeviceSpec(DeviceSpec.Kind.REGISTERS, GuestDevices.extraPort(k), 8, 0, 0, 0, "bank" + k),
                    new DeviceSpec(DeviceSpec.Kind.RAM, GuestDevices.extraMmio(k), 0x1000, 0, 0, 0, "page" + k))));
        }
        return new DomainGroup(domains, vcpus, emulatedVga, DomainConfig.CpuVendor.INTEL, 6, List.of(), specs,
                templates(mix, servers));
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
}
