package org.ioreqsim.ioreq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Xen's range set (xen/common/rangeset.c): a sorted list of disjoint, inclusive ranges of unsigned
 * 64-bit values, at most {@code limit} of them stored. Lookups are binary searches over sorted arrays,
 * so routing stays O(log n) per server.
 *
 * <p>The add and remove algorithms follow {@code rangeset_add_range} and {@code rangeset_remove_range}
 * at the seed step for step, unsigned wrap-around at 2^64 included, so that merging, splitting and the
 * -ENOMEM limit behave as Xen's do. That includes the seed's remove bug for intervals that start in a
 * gap ({ [0,1], [4,5] } - [3,4] = { [0,2], [5,5] }, fixed by e118fc98e7 in 2025), which the ioreq code
 * cannot reach because unmap first requires containment. Not thread-safe: a range set belongs to one
 * domain actor.
 */
public final class RangeSet {
    private long[] starts;
    private long[] ends;
    private int size;
    /** Xen's {@code nr_ranges}: how many more ranges may be allocated. */
    private int available;

    public RangeSet(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.available = limit;
        this.starts = new long[Math.min(Math.max(limit, 1), 4)];
        this.ends = new long[starts.length];
    }

    /** Number of stored (merged) ranges. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** {@code rangeset_add_range}: 0, or -ENOMEM when a new stored range would exceed the limit. */
    public Result<Long> add(long s, long e) {
        int x = find(s);
        int y = find(e);
        if (x == y) {
            if (x < 0 || (lt(ends[x], s) && ends[x] + 1 != s)) {
                if (available == 0) {
                    return Result.err(Errno.ENOMEM);
                }
                x = y + 1;
                insertAt(x, s, e);
            } else if (lt(ends[x], e)) {
                ends[x] = e;
            }
        } else {
            if (x < 0) {
                x = 0;
                starts[x] = s;
            } else if (lt(ends[x], s) && ends[x] + 1 != s) {
                x = x + 1;
                starts[x] = s;
            }
            ends[x] = lt(e, ends[y]) ? ends[y] : e;
            while (x + 1 < size && !lt(ends[x], ends[x + 1])) {
                removeAt(x + 1);
            }
        }
        if (x + 1 < size && ends[x] + 1 == starts[x + 1]) {
            ends[x] = ends[x + 1];
            removeAt(x + 1);
        }
        return Result.ok(0L);
    }

    /** {@code rangeset_remove_range}: 0, or -ENOMEM when splitting a range would exceed the limit. */
    public Result<Long> remove(long s, long e) {
        int x = find(s);
        int y = find(e);
        if (x == y) {
            if (x < 0 || lt(ends[x], s)) {
                return Result.ok(0L);
            }
            if (lt(starts[x], s) && lt(e, ends[x])) {
                if (available == 0) {
                    return Result.err(Errno.ENOMEM);
                }
                insertAt(x + 1, e + 1, ends[x]);
                ends[x] = s - 1;
            } else if (starts[x] == s && !lt(e, ends[x])) {
                removeAt(x);
            } else if (starts[x] == s) {
                starts[x] = e + 1;
            } else if (!lt(e, ends[x])) {
                ends[x] = s - 1;
            }
        } else {
            if (x < 0) {
                x = 0;
            }
            if (lt(starts[x], s)) {
                ends[x] = s - 1;
                x++;
            }
            while (x != y) {
                removeAt(x);
                y--;
            }
            starts[x] = e + 1;
            if (lt(ends[x], starts[x])) {
                removeAt(x);
            }
        }
        return Result.ok(0L);
    }

    /** {@code rangeset_contains_range}: one stored range covers all of [s, e]. */
    public boolean containsRange(long s, long e) {
        if (lt(e, s)) {
            return false;
        }
        int x = find(s);
        return x >= 0 && !lt(ends[x], e);
    }

    public boolean containsSingleton(long v) {
        int x = find(v);
        return x >= 0 && !lt(ends[x], v);
    }

    /** {@code rangeset_overlaps_range}: some stored range meets [s, e]. */
    public boolean overlapsRange(long s, long e) {
        int x = find(e);
        return x >= 0 && !lt(ends[x], s);
    }

    /** The stored ranges in ascending order, as {@code [start, end]} pairs. */
    public List<long[]> ranges() {
        List<long[]> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new long[] {starts[i], ends[i]});
        }
        return out;
    }

    public long startAt(int i) {
        return starts[i];
    }

    public long endAt(int i) {
        return ends[i];
    }

    /** Removes every range, giving their slots back (Xen frees the set with its server). */
    public void clear() {
        available += size;
        size = 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append("0x").append(Long.toHexString(starts[i]));
            if (starts[i] != ends[i]) {
                sb.append("-0x").append(Long.toHexString(ends[i]));
            }
        }
        return sb.append('}').toString();
    }

    /** {@code find_range}: index of the range with the highest start <= s, or -1. */
    private int find(long s) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (!lt(s, starts[mid])) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private void insertAt(int i, long s, long e) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        System.arraycopy(starts, i, starts, i + 1, size - i);
        System.arraycopy(ends, i, ends, i + 1, size - i);
        starts[i] = s;
        ends[i] = e;
        size++;
        available--;
    }

    private void removeAt(int i) {
        System.arraycopy(starts, i + 1, starts, i, size - i - 1);
        System.arraycopy(ends, i + 1, ends, i, size - i - 1);
        size--;
        available++;
    }

    private static boolean lt(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }
}
