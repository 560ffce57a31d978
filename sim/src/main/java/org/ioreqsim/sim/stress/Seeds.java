package org.ioreqsim.sim.stress;

/** Derives independent 64-bit seeds from one seed and a purpose (SplitMix64's finaliser). */
final class Seeds {
    private Seeds() {
    }

    /** A seed for {@code purpose} drawn from {@code seed}; different purposes give unrelated streams. */
    static long mix(long seed, long purpose) {
        long z = seed * 0x9E3779B97F4A7C15L + purpose * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
