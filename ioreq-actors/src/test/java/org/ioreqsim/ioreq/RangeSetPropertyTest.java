package org.ioreqsim.ioreq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random add/remove sequences against a reference that knows only which values are covered: the
 * stored ranges must be exactly the maximal runs, every query must agree, and -ENOMEM must happen
 * exactly when Xen's algorithm needs a new range at the limit.
 *
 * <p>Removes are drawn as the ioreq code makes them: {@code hvm_unmap_io_range_from_ioreq_server}
 * removes only intervals inside one stored range (else -ENOENT). Outside that contract the seed's
 * algorithm has a bug, pinned in {@link RangeSetTest}.
 */
class RangeSetPropertyTest {
    private static final int UNIVERSE = 64;

    record Op(boolean add, int s, int e) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> v = Arbitraries.integers().between(0, UNIVERSE - 1);
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(true, true, false), v, v)
                .as((a, x, y) -> new Op(a, Math.min(x, y), Math.max(x, y)));
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 400)
    void behavesLikeTheSetOfCoveredValues(@ForAll("ops") List<Op> ops, @ForAll("limits") int limit) {
        RangeSet r = new RangeSet(limit);
        BitSet ref = new BitSet(UNIVERSE);
        for (Op op : ops) {
            List<int[]> runs = runs(ref);
            boolean atLimit = runs.size() == limit;
            Errno expected;
            if (op.add()) {
                boolean touchesLeftOrOverlaps = runs.stream().anyMatch(x -> x[0] <= op.e() && x[1] >= op.s() - 1);
                expected = atLimit && !touchesLeftOrOverlaps ? Errno.ENOMEM : null;
                assertEquals(expected, r.add(op.s(), op.e()).errnoOrNull(), "add " + op);
                if (expected == null) {
                    ref.set(op.s(), op.e() + 1);
                }
            } else if (runs.stream().noneMatch(x -> x[0] <= op.s() && x[1] >= op.e())) {
                continue;
            } else {
                boolean splits = runs.stream().anyMatch(x -> x[0] < op.s() && x[1] > op.e());
                expected = atLimit && splits ? Errno.ENOMEM : null;
                assertEquals(expected, r.remove(op.s(), op.e()).errnoOrNull(), "remove " + op);
                if (expected == null) {
                    ref.clear(op.s(), op.e() + 1);
                }
            }
            List<int[]> now = runs(ref);
            assertEquals(now.size(), r.size());
            for (int i = 0; i < now.size(); i++) {
                assertEquals(now.get(i)[0], r.startAt(i));
                assertEquals(now.get(i)[1], r.endAt(i));
            }
        }
        for (int s = 0; s < UNIVERSE; s += 3) {
            for (int e = s; e < UNIVERSE; e += 5) {
                int next = ref.nextClearBit(s);
                assertEquals(ref.get(s) && next > e, r.containsRange(s, e));
                int firstSet = ref.nextSetBit(s);
                assertEquals(firstSet >= 0 && firstSet <= e, r.overlapsRange(s, e));
            }
        }
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.integers().between(1, 6);
    }

    private static List<int[]> runs(BitSet b) {
        List<int[]> out = new ArrayList<>();
        int i = b.nextSetBit(0);
        while (i >= 0) {
            int end = b.nextClearBit(i) - 1;
            out.add(new int[] {i, end});
            i = b.nextSetBit(end + 1);
        }
        return out;
    }
}
