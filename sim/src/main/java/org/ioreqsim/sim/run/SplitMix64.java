package org.ioreqsim.sim.run;

/**
 * The draws of {@link java.util.SplittableRandom} (SplitMix64 with its golden gamma), value for value,
 * as a base class: a workload extending it holds the generator's one word of state in its own object.
 * A {@code SplittableRandom} costs every vCPU 48 bytes (the generator and, on JDK 17, a proxy object).
 * {@code SplitMix64Test} checks every draw against {@code SplittableRandom}.
 */
class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long seed;

    SplitMix64(long seed) {
        this.seed = seed;
    }

    private long nextSeed() {
        return seed += GOLDEN_GAMMA;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    final int nextInt() {
        return mix32(nextSeed());
    }

    final long nextLong() {
        return mix64(nextSeed());
    }

    /** Uniform in [0, bound), as {@code SplittableRandom.nextInt(bound)} (rejection of the biased tail). */
    final int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        int r = nextInt();
        int m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = nextInt() >>> 1) {
            // draw again
        }
        return r;
    }

    /** Uniform in [0, bound), as {@code SplittableRandom.nextLong(bound)}. */
    final long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        long r = nextLong();
        long m = bound - 1;
        if ((bound & m) == 0L) {
            return r & m;
        }
        for (long u = r >>> 1; u + m - (r = u % bound) < 0L; u = nextLong() >>> 1) {
            // draw again
        }
        return r;
    }

    /** Uniform in [0, 1), as {@code SplittableRandom.nextDouble()}. */
    final double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }
}
