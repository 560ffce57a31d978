package org.ioreqsim.sim.stress.distributed;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Seeds {@code first .. first + count - 1} of a campaign.
 *
 * @param first the first seed
 * @param count how many seeds (at least 1)
 */
public record SeedRange(long first, int count) {
    public SeedRange {
        if (count < 1) {
            throw new IllegalArgumentException("count " + count);
        }
    }

    /** The seeds of {@code ranges} not set in {@code done} (indexed by seed - {@code base}), as ranges. */
    static List<SeedRange> missing(List<SeedRange> ranges, BitSet done, long base) {
        List<SeedRange> out = new ArrayList<>();
        for (SeedRange r : ranges) {
            long start = -1;
            for (long s = r.first(); s < r.first() + r.count(); s++) {
                boolean finished = done.get((int) (s - base));
                if (!finished && start < 0) {
                    start = s;
                } else if (finished && start >= 0) {
                    out.add(new SeedRange(start, (int) (s - start)));
                    start = -1;
                }
            }
            if (start >= 0) {
                out.add(new SeedRange(start, (int) (r.first() + r.count() - start)));
            }
        }
        return out;
    }

    /** {@code ranges} cut into pieces of at most {@code size} seeds, in order. */
    static List<SeedRange> split(List<SeedRange> ranges, int size) {
        List<SeedRange> out = new ArrayList<>();
        for (SeedRange r : ranges) {
            for (long s = r.first(); s < r.first() + r.count(); s += size) {
                out.add(new SeedRange(s, (int) Math.min(size, r.first() + r.count() - s)));
            }
        }
        return out;
    }
}
