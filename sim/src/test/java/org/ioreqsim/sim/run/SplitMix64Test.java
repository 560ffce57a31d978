package org.ioreqsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The workload's generator draws exactly what {@link SplittableRandom} draws, so seeded runs do not change. */
class SplitMix64Test {
    private static final int[] INT_BOUNDS = {1, 2, 3, 7, 64, 100, 1000, 3600, (1 << 30) + 1, Integer.MAX_VALUE};
    private static final long[] LONG_BOUNDS = {1, 2, 5, 512, 1000, 4097, (1L << 62) + 3, Long.MAX_VALUE};

    @Test
    void drawsMatchSplittableRandom() {
        SplittableRandom seeds = new SplittableRandom(42);
        for (int s = 0; s < 200; s++) {
            long seed = s < 3 ? s - 1 : seeds.nextLong();
            SplittableRandom want = new SplittableRandom(seed);
            SplitMix64 got = new SplitMix64(seed);
            for (int i = 0; i < 500; i++) {
                switch (i % 5) {
                    case 0 -> assertEquals(want.nextLong(), got.nextLong(), "nextLong, seed " + seed);
                    case 1 -> {
                        int b = INT_BOUNDS[(i / 5) % INT_BOUNDS.length];
                        assertEquals(want.nextInt(b), got.nextInt(b), "nextInt(" + b + "), seed " + seed);
                    }
                    case 2 -> {
                        long b = LONG_BOUNDS[(i / 5) % LONG_BOUNDS.length];
                        assertEquals(want.nextLong(b), got.nextLong(b), "nextLong(" + b + "), seed " + seed);
                    }
                    case 3 -> assertEquals(want.nextDouble(), got.nextDouble(), "nextDouble, seed " + seed);
                    default -> assertEquals(want.nextInt(), got.nextInt(), "nextInt, seed " + seed);
                }
            }
        }
    }
}
