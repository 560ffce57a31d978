package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.Errno;
import org.junit.jupiter.api.Test;

/**
 * The ioreq gfn pool ({@code hvm_alloc_ioreq_gfn}, {@code hvm_free_ioreq_gfn}; spec 11.2), driven through
 * {@link HvmParams} as the toolstack sets it up. Added after mutation run E1 (docs/testing.md): the
 * legacy gfns of 3486f398a3 ({@code useLegacyGfns}) had no test in the model modules, and nothing read
 * the pool's base back.
 */
class IoreqGfnPoolTest {
    private final IoreqGfnPool pool = new IoreqGfnPool();

    private HvmParams params(boolean legacy) {
        return new HvmParams(pool, XenOptions.SEED.with("useLegacyGfns", legacy));
    }

    /** Spec 11.2: the lowest free bit, gfn = base + i; a freed gfn is handed out again; base reads back. */
    @Test
    void allocatesTheLowestFreeGfnAboveTheBase() {
        HvmParams p = params(false);
        p.set(false, 0, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0);
        p.set(false, 0, HvmParam.NR_IOREQ_SERVER_PAGES, 2);
        assertEquals(0xFEFF0L, pool.base(), "XenInspector.gfnPoolBase, which the teardown monitor reads");
        assertEquals(0xFEFF0L, pool.allocate(false, p.values()));
        assertEquals(0xFEFF1L, pool.allocate(false, p.values()));
        assertEquals(Xen.INVALID_GFN, pool.allocate(false, p.values()), "empty (the caller's -ENOMEM)");
        pool.free(0xFEFF0L, false, p.values());
        assertEquals(0b01L, pool.mask());
        pool.free(0x1000L, false, p.values());
        assertEquals(0b01L, pool.mask(), "a gfn outside the pool's 64 frames is not the pool's");
        assertEquals(0xFEFF0L, pool.allocate(false, p.values()));
    }

    /**
     * 3486f398a3: with {@code useLegacyGfns}, a non-zero IOREQ_PFN (5) and BUFIOREQ_PFN (6) serve once the
     * mask is empty, param 5 first; freeing such a gfn makes it usable again, not a pool bit. Both
     * params become set-once (spec 13: EEXIST for a different value).
     */
    @Test
    void legacyGfnsServeOnceThePoolIsEmpty() {
        HvmParams p = params(true);
        p.set(false, 0, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0);
        p.set(false, 0, HvmParam.NR_IOREQ_SERVER_PAGES, 1);
        p.set(false, 0, HvmParam.IOREQ_PFN, 0xFEFFE);
        p.set(false, 0, HvmParam.BUFIOREQ_PFN, 0xFEFFD);
        assertEquals(Errno.EEXIST, p.set(false, 0, HvmParam.IOREQ_PFN, 0x1234).errnoOrNull(), "set once");
        assertEquals(0xFEFF0L, pool.allocate(true, p.values()), "the pool first");
        assertEquals(0xFEFFEL, pool.allocate(true, p.values()), "then IOREQ_PFN");
        assertEquals(0xFEFFDL, pool.allocate(true, p.values()), "then BUFIOREQ_PFN");
        assertEquals(Xen.INVALID_GFN, pool.allocate(true, p.values()));
        pool.free(0xFEFFDL, true, p.values());
        assertEquals(0L, pool.mask(), "a legacy gfn does not go back into the mask");
        assertEquals(0xFEFFDL, pool.allocate(true, p.values()));
        assertEquals(Xen.INVALID_GFN, pool.allocate(false, p.values()), "without the flag they are not used");
    }

    /** At the seed (no useLegacyGfns) params 5 and 6 are plain values: the pool never hands them out. */
    @Test
    void atTheSeedLegacyParamsAreNotPoolGfns() {
        HvmParams p = params(false);
        p.set(false, 0, HvmParam.IOREQ_PFN, 0xFEFFE);
        assertEquals(0L, p.set(false, 0, HvmParam.IOREQ_PFN, 0x1234).value(), "not set-once at the seed");
        assertEquals(Xen.INVALID_GFN, pool.allocate(true, p.values()), "addLegacy was never called");
    }

    /** 3486f398a3: a zero IOREQ_PFN is no gfn, so it never becomes a legacy pool entry. */
    @Test
    void aZeroLegacyParamIsNoGfn() {
        HvmParams p = params(true);
        p.set(false, 0, HvmParam.IOREQ_PFN, 0);
        assertEquals(Xen.INVALID_GFN, pool.allocate(true, p.values()));
    }
}
