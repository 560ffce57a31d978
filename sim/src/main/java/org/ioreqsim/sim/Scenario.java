package org.ioreqsim.sim;

import java.time.Duration;
import java.util.Objects;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.XenOptions;

/**
 * A simulation run: how many domains, vCPUs and servers, what every vCPU does, and for how long.
 *
 * @param seed            the one seed of the run; every vCPU derives its generator from it and its identity
 * @param domains         guest domains
 * @param vcpus           vCPUs per domain
 * @param servers         ioreq servers per domain (server 0 owns the standard devices)
 * @param requests        operations per vCPU (closed loop), or 0 to run for {@code duration}
 * @param duration        run length when {@code requests} is 0
 * @param think           guest time between a completion and the next access
 * @param mix             weights of the access kinds
 * @param bufioreqMode    the mode servers are created with
 * @param emulatedVga     Xen's stdvga handler is present (VGA writes go buffered)
 * @param emulators       where the device models run
 * @param options         Xen version flags
 */
public record Scenario(long seed, int domains, int vcpus, int servers, long requests, Duration duration,
                       Duration think, Mix mix, BufioreqMode bufioreqMode, boolean emulatedVga,
                       EmulatorPlacement emulators, XenOptions options) {

    /** Where each domain's device models run. */
    public enum EmulatorPlacement {
        /** All in dom0 (QEMU processes in the control domain). */
        DOM0,
        /** One device-model stub domain per guest. */
        STUBDOM,
        /** dom0 while its event-channel table has room, stub domains beyond. */
        AUTO
    }

    public Scenario {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(think, "think");
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(bufioreqMode, "bufioreqMode");
        Objects.requireNonNull(emulators, "emulators");
        Objects.requireNonNull(options, "options");
    }

    /**
     * The built-in default: 4 domains x 4 vCPUs, one QEMU-like server per domain owning a serial port,
     * a PCI function with its MMIO BAR and the VGA window (buffered), plus I/O nobody claims.
     */
    public static Scenario defaults() {
        return new Scenario(1, 4, 4, 1, 20_000, Duration.ofSeconds(10), Duration.ZERO, Mix.DEFAULT,
                BufioreqMode.ATOMIC, true, EmulatorPlacement.AUTO, XenOptions.SEED);
    }

    /** Total vCPUs. */
    public long totalVcpus() {
        return (long) domains * vcpus;
    }

    /** Whether emulators of this run live in stub domains. */
    public boolean useStubdoms() {
        if (emulators == EmulatorPlacement.AUTO) {
            long portsInDom0 = totalVcpus() * servers + (long) domains * servers;
            return portsInDom0 > 4000;
        }
        return emulators == EmulatorPlacement.STUBDOM;
    }

    public Scenario withSeed(long s) {
        return new Scenario(s, domains, vcpus, servers, requests, duration, think, mix, bufioreqMode, emulatedVga,
                emulators, options);
    }

    public Scenario withShape(int d, int v, int s) {
        return new Scenario(seed, d, v, s, requests, duration, think, mix, bufioreqMode, emulatedVga, emulators,
                options);
    }

    public Scenario withRequests(long r, Duration dur) {
        return new Scenario(seed, domains, vcpus, servers, r, dur, think, mix, bufioreqMode, emulatedVga, emulators,
                options);
    }

    public Scenario withMix(Mix m) {
        return new Scenario(seed, domains, vcpus, servers, requests, duration, think, m, bufioreqMode, emulatedVga,
                emulators, options);
    }

    public Scenario withOptions(XenOptions o) {
        return new Scenario(seed, domains, vcpus, servers, requests, duration, think, mix, bufioreqMode, emulatedVga,
                emulators, o);
    }

    public Scenario withThink(Duration t) {
        return new Scenario(seed, domains, vcpus, servers, requests, duration, t, mix, bufioreqMode, emulatedVga,
                emulators, options);
    }

    public Scenario withEmulators(EmulatorPlacement p) {
        return new Scenario(seed, domains, vcpus, servers, requests, duration, think, mix, bufioreqMode, emulatedVga,
                p, options);
    }

    public Scenario withBufioreq(BufioreqMode m, boolean vga) {
        return new Scenario(seed, domains, vcpus, servers, requests, duration, think, mix, m, vga, emulators,
                options);
    }
}
