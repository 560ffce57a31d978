package org.ioreqsim.domain;

import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;

/**
 * A domain's HVM parameters and the per-index rules of {@code hvm_allow_set_param},
 * {@code hvmop_set_param}, {@code hvm_allow_get_param} and {@code hvmop_get_param} (hvm.c) for the
 * parameters the seed touches, after the hypervisor has checked the index, found the domain and passed
 * XSM. Parameters without ioreq relevance are stored with the few validations Xen applies to them
 * (timer mode, S-state, triple-fault reason, x87 FIP width, deprecated memory events); the rest are
 * stored as given.
 */
final class HvmParams {
    /** {@code SHUTDOWN_MAX}: the highest shutdown reason (soft_reset). */
    private static final long SHUTDOWN_MAX = 5;
    private static final long HVMPTM_ONE_MISSED_TICK_PENDING = 3;

    private final long[] values = new long[HvmParam.NR_PARAMS];
    private final IoreqGfnPool gfnPool;
    private final XenOptions options;

    HvmParams(IoreqGfnPool gfnPool, XenOptions options) {
        this.gfnPool = gfnPool;
        this.options = options;
    }

    /** The raw array (the ioreq code reads params 5 and 6 for gfns). */
    long[] values() {
        return values;
    }

    /**
     * Set: per-index permission (guest-settable list; DM_DOMAIN and BUFIOREQ_EVTCHN are deprecated:
     * EPERM for everyone) -> set-once (EEXIST) -> per-index validation and effect -> store.
     *
     * @param guest     the caller is the target domain itself
     * @param callerDomid used by the pre-seed DM_DOMAIN rule
     */
    Result<Long> set(boolean guest, int callerDomid, int index, long value) {
        Errno perm = setPermission(guest, index);
        if (perm != null) {
            return Result.err(perm);
        }
        if (isSetOnce(index) && values[index] != 0 && values[index] != value) {
            return Result.err(Errno.EEXIST);
        }
        long stored = value;
        switch (index) {
            case HvmParam.TIMER_MODE -> {
                if (Long.compareUnsigned(value, HVMPTM_ONE_MISSED_TICK_PENDING) > 0) {
                    return Result.err(Errno.EINVAL);
                }
            }
            case HvmParam.DM_DOMAIN -> {
                if (value != Xen.DOMID_SELF) {
                    return Result.err(Errno.EINVAL);
                }
                stored = callerDomid;
            }
            case HvmParam.BUFIOREQ_EVTCHN -> {
                return Result.err(Errno.EINVAL);
            }
            case HvmParam.ACPI_S_STATE -> {
                if (value != 0 && value != 3) {
                    return Result.err(Errno.EINVAL);
                }
            }
            case HvmParam.MEMORY_EVENT_CR0, HvmParam.MEMORY_EVENT_CR3, HvmParam.MEMORY_EVENT_CR4,
                    HvmParam.MEMORY_EVENT_INT3, HvmParam.MEMORY_EVENT_SINGLE_STEP, HvmParam.MEMORY_EVENT_MSR -> {
                return Result.err(Errno.EOPNOTSUPP);
            }
            case HvmParam.TRIPLE_FAULT_REASON -> {
                if (Long.compareUnsigned(value, SHUTDOWN_MAX) > 0) {
                    return Result.err(Errno.EINVAL);
                }
            }
            case HvmParam.IOREQ_SERVER_PFN -> gfnPool.setBase(value);
            case HvmParam.NR_IOREQ_SERVER_PAGES -> {
                if (value == 0 || Long.compareUnsigned(value, 64) > 0) {
                    return Result.err(Errno.EINVAL);
                }
                gfnPool.addPages(value);
            }
            case HvmParam.IOREQ_PFN, HvmParam.BUFIOREQ_PFN -> {
                if (options.useLegacyGfns() && value != 0) {
                    gfnPool.addLegacy(index);
                }
            }
            case HvmParam.X87_FIP_WIDTH -> {
                if (value != 0 && value != 4 && value != 8) {
                    return Result.err(Errno.EINVAL);
                }
            }
            default -> {
            }
        }
        values[index] = stored;
        return Result.ok(0L);
    }

    /**
     * Get permission: the guest may read only its list; DM_DOMAIN and BUFIOREQ_EVTCHN answer ENODATA
     * to everyone at the seed. {@code null} means allowed.
     */
    Errno getPermission(boolean guest, int index) {
        if (!options.legacyDefaultServer() && (index == HvmParam.DM_DOMAIN || index == HvmParam.BUFIOREQ_EVTCHN)) {
            return Errno.ENODATA;
        }
        return switch (index) {
            case HvmParam.CALLBACK_IRQ, HvmParam.VM86_TSS, HvmParam.VM86_TSS_SIZED, HvmParam.ACPI_IOPORTS_LOCATION,
                    HvmParam.VM_GENERATION_ID_ADDR, HvmParam.STORE_PFN, HvmParam.STORE_EVTCHN, HvmParam.CONSOLE_PFN,
                    HvmParam.CONSOLE_EVTCHN, HvmParam.ALTP2M, HvmParam.X87_FIP_WIDTH -> null;
            default -> guest ? Errno.EPERM : null;
        };
    }

    long get(int index) {
        return values[index];
    }

    private Errno setPermission(boolean guest, int index) {
        switch (index) {
            case HvmParam.CALLBACK_IRQ, HvmParam.VM86_TSS, HvmParam.VM86_TSS_SIZED, HvmParam.ACPI_IOPORTS_LOCATION,
                    HvmParam.VM_GENERATION_ID_ADDR, HvmParam.STORE_EVTCHN, HvmParam.CONSOLE_EVTCHN,
                    HvmParam.X87_FIP_WIDTH -> {
                return null;
            }
            case HvmParam.DM_DOMAIN, HvmParam.BUFIOREQ_EVTCHN -> {
                if (!options.legacyDefaultServer()) {
                    return Errno.EPERM;
                }
                return guest ? Errno.EPERM : null;
            }
            default -> {
                return guest ? Errno.EPERM : null;
            }
        }
    }

    private boolean isSetOnce(int index) {
        return switch (index) {
            case HvmParam.VIRIDIAN, HvmParam.IOREQ_SERVER_PFN, HvmParam.NR_IOREQ_SERVER_PAGES, HvmParam.ALTP2M,
                    HvmParam.MCA_CAP -> true;
            case HvmParam.IOREQ_PFN, HvmParam.BUFIOREQ_PFN -> options.useLegacyGfns();
            default -> false;
        };
    }
}
