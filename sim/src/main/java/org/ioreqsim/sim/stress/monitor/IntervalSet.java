package org.ioreqsim.sim.stress.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The monitors' own copy of one server's range set, written from the spec (section 10.3) and not
 * from the model's {@code RangeSet}: disjoint inclusive unsigned 64-bit intervals, sorted, where an
 * insertion merges with every interval it overlaps or touches and a removal may split one. Small and
 * slow on purpose: a server holds a handful of ranges.
 */
final class IntervalSet {
    private final List<long[]> ranges = new ArrayList<>();

    /** Whether any stored interval shares a value with {@code [start, end]}. */
    boolean overlaps(long start, long end) {
        for (long[] r : ranges) {
            if (Long.compareUnsigned(r[0], end) <= 0 && Long.compareUnsigned(start, r[1]) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether one stored interval covers all of {@code [start, end]}. */
    boolean containsInOne(long start, long end) {
        for (long[] r : ranges) {
            if (Long.compareUnsigned(r[0], start) <= 0 && Long.compareUnsigned(end, r[1]) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code [start, end]}, merging it with overlapping and adjacent intervals. */
    void add(long start, long end) {
        long s = start;
        long e = end;
        List<long[]> kept = new ArrayList<>();
        for (long[] r : ranges) {
            boolean touches = Long.compareUnsigned(r[0], e) <= 0 && Long.compareUnsigned(s, r[1]) <= 0
                    || (r[1] != -1L && r[1] + 1 == s) || (e != -1L && e + 1 == r[0]);
            if (touches) {
                s = Long.compareUnsigned(r[0], s) < 0 ? r[0] : s;
                e = Long.compareUnsigned(r[1], e) > 0 ? r[1] : e;
            } else {
                kept.add(r);
            }
        }
        kept.add(new long[] {s, e});
        kept.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        ranges.clear();
        ranges.addAll(kept);
    }

    /** Removes {@code [start, end]} from the interval that contains it (splitting it if needed). */
    void remove(long start, long end) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : ranges) {
            if (Long.compareUnsigned(r[0], start) <= 0 && Long.compareUnsigned(end, r[1]) <= 0) {
                if (r[0] != start) {
                    out.add(new long[] {r[0], start - 1});
                }
                if (r[1] != end) {
                    out.add(new long[] {end + 1, r[1]});
                }
            } else {
                out.add(r);
            }
        }
        ranges.clear();
        ranges.addAll(out);
    }

    /** Whether {@code other} (sorted {@code [start, end]} pairs) holds exactly these intervals. */
    boolean sameAs(List<long[]> other) {
        if (other.size() != ranges.size()) {
            return false;
        }
        for (int i = 0; i < ranges.size(); i++) {
            if (other.get(i)[0] != ranges.get(i)[0] || other.get(i)[1] != ranges.get(i)[1]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (long[] r : ranges) {
            sb.append(sb.length() > 1 ? ", " : "").append("[0x").append(Long.toHexString(r[0])).append(", 0x")
                    .append(Long.toHexString(r[1])).append(']');
        }
        return sb.append('}').toString();
    }
}
