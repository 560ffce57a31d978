package org.ioreqsim.sim.stress;

import java.util.List;
import java.util.Locale;

/**
 * The rarer inputs of a program, each a swarm knob: per seed, swarm testing switches each feature on
 * with its own probability ({@link #swarmPercent}); {@code --features} turns the listed ones on for
 * every seed. Without swarm only the listed ones are on.
 */
public enum StressFeature {
    /**
     * Full-width CF8 values (enable bit clear about a fifth of the time, bits 30..24 random, any bus and
     * function), CF8 accesses of 1, 2 and 4 bytes, bare CFC accesses that use a stale or initial latch,
     * data accesses anywhere in 0xCFC..0xCFF of 1, 2 or 4 bytes, and PCI functions on bus 1 and at
     * function 2 for the emulators to register (spec 6, 6.1).
     */
    CF8_WIDE(30),
    /**
     * Emulator clients that break the protocol: answer a slot that was not taken (or holds no request),
     * write any state into a slot, notify a vCPU's port without touching its slot (spec 7.2, 7.4). The
     * monitors report these as the finding {@code EMU}.
     */
    BAD_EMULATOR(20),
    /** Emulator processes that die at any point, often while holding requests, and are started again. */
    CRASH_RESTART(25),
    /** An event-channel limit just above what the servers need, so closed ports are reused at once. */
    TIGHT_PORTS(20),
    /**
     * Buffered rings whose pointers start near a wrap: just below 511 (the slot index wraps) or just
     * below 2^32 (the free-running 32-bit pointers wrap; ATOMIC mode canonicalises, spec 8.2), with VGA
     * writes on.
     */
    RING_WRAP(15);

    private final int swarmPercent;

    StressFeature(int swarmPercent) {
        this.swarmPercent = swarmPercent;
    }

    /** Percent chance that swarm testing switches the feature on for a seed. */
    public int swarmPercent() {
        return swarmPercent;
    }

    /** The command-line name: {@code cf8-wide}, {@code bad-emulator}, ... */
    public String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every feature's command-line name. */
    public static List<String> flags() {
        return java.util.Arrays.stream(values()).map(StressFeature::flag).toList();
    }

    /** The feature named {@code flag} (case-insensitive), or null. */
    public static StressFeature ofFlag(String flag) {
        for (StressFeature f : values()) {
            if (f.flag().equalsIgnoreCase(flag)) {
                return f;
            }
        }
        return null;
    }
}
