package org.ioreqsim.domain;

import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Xen;

/**
 * The domain's pool of guest frames for server pages ({@code d->arch.hvm.ioreq_gfn}): a base gfn
 * (param IOREQ_SERVER_PFN) and a 64-bit mask of free frames (param NR_IOREQ_SERVER_PAGES). With
 * {@code useLegacyGfns} (3486f398a3) the gfns of params IOREQ_PFN and BUFIOREQ_PFN serve once the mask
 * is empty.
 */
final class IoreqGfnPool {
    private long base;
    private long mask;
    /** Bit {@code index} set: the gfn in param {@code index} (5 or 6) is free. */
    private long legacyMask;

    void setBase(long base) {
        this.base = base;
    }

    /** {@code NR_IOREQ_SERVER_PAGES = n}: sets mask bits 0..n-1 (OR-ing, hazard H14). */
    void addPages(long n) {
        for (int i = 0; i < n; i++) {
            mask |= 1L << i;
        }
    }

    /** A non-zero IOREQ_PFN/BUFIOREQ_PFN becomes usable (only with useLegacyGfns). */
    void addLegacy(int paramIndex) {
        legacyMask |= 1L << paramIndex;
    }

    long base() {
        return base;
    }

    long mask() {
        return mask;
    }

    /** {@code hvm_alloc_ioreq_gfn}: the lowest free gfn, or INVALID_GFN. */
    long allocate(boolean useLegacyGfns, long[] params) {
        for (int i = 0; i < 64; i++) {
            if ((mask & (1L << i)) != 0) {
                mask &= ~(1L << i);
                return base + i;
            }
        }
        if (useLegacyGfns) {
            for (int i = HvmParam.IOREQ_PFN; i <= HvmParam.BUFIOREQ_PFN; i++) {
                if ((legacyMask & (1L << i)) != 0) {
                    legacyMask &= ~(1L << i);
                    return params[i];
                }
            }
        }
        return Xen.INVALID_GFN;
    }

    /** {@code hvm_free_ioreq_gfn}. */
    void free(long gfn, boolean useLegacyGfns, long[] params) {
        if (useLegacyGfns) {
            for (int i = HvmParam.IOREQ_PFN; i <= HvmParam.BUFIOREQ_PFN; i++) {
                if (gfn == params[i]) {
                    legacyMask |= 1L << i;
                    return;
                }
            }
        }
        long i = gfn - base;
        if (i >= 0 && i < 64) {
            mask |= 1L << i;
        }
    }
}
