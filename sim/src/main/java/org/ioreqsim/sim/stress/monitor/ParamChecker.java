package org.ioreqsim.sim.stress.monitor;

import java.util.HashMap;
import java.util.Map;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.sim.stress.StressOp;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;

/**
 * The toolstack's HVM parameter calls (spec 13), answered as the spec's order says: per-index permission,
 * then the set-once check (-EEXIST only for a different value: setting the stored value again succeeds),
 * then the per-index validation ({@code NR_IOREQ_SERVER_PAGES}: 1..64); a get returns what the last
 * successful set stored, and the deprecated DM_DOMAIN and BUFIOREQ_EVTCHN answer -ENODATA after the seed.
 * The shadow holds what the toolstack lane set (the only caller that sets parameters in a stress run);
 * calls answered -ESRCH (the domain is gone) or not at all are not checked, nor parameters whose value the
 * pre-seed default server writes itself.
 */
final class ParamChecker extends Checker {
    /** Per domain: the values the toolstack's successful sets stored, by index. */
    private final Map<Integer, long[]> stored = new HashMap<>();

    ParamChecker(Context ctx) {
        super(ctx);
    }

    @Override
    void register(EventRouter router) {
        // reads the lanes' answers only
    }

    /** The toolstack lane's parameter call {@code op} was answered {@code result} (null: not answered). */
    void laneOpDone(DomainShadow d, StressOp op, Result<?> result) {
        if (result == null || result.errnoOrNull() == Errno.ESRCH) {
            return;
        }
        long[] values = stored.computeIfAbsent(d.domid, k -> new long[HvmParam.NR_PARAMS]);
        if (op instanceof StressOp.SetParam s && s.index() >= 0 && s.index() < HvmParam.NR_PARAMS) {
            Errno want = expectedSet(values, s.index(), s.value());
            if (want == UNKNOWN) {
                return;
            }
            Errno got = result.errnoOrNull();
            if (got != want) {
                violation("params.set-result", "d" + d.domid + " set_param(" + s.index() + ", 0x"
                        + Long.toHexString(s.value()) + ") answered " + describe(got) + ", spec 13 says "
                        + describe(want) + " (stored value 0x" + Long.toHexString(values[s.index()]) + ")");
            }
            if (got == null) {
                values[s.index()] = s.value();
            }
        } else if (op instanceof StressOp.GetParam g && g.index() >= 0 && g.index() < HvmParam.NR_PARAMS) {
            checkGet(d, values, g.index(), result);
        }
    }

    /** Stands for "no expectation" (a parameter this checker does not model). */
    private static final Errno UNKNOWN = Errno.ENOSYS;

    /** The answer spec 13 gives a toolstack set of {@code index} to {@code value}: null for success. */
    private Errno expectedSet(long[] values, int index, long value) {
        switch (index) {
            case HvmParam.IOREQ_SERVER_PFN, HvmParam.NR_IOREQ_SERVER_PAGES -> {
                if (values[index] != 0 && values[index] != value) {
                    return Errno.EEXIST;
                }
                if (index == HvmParam.NR_IOREQ_SERVER_PAGES && (value == 0 || Long.compareUnsigned(value, 64) > 0)) {
                    return Errno.EINVAL;
                }
                return null;
            }
            case HvmParam.DM_DOMAIN, HvmParam.BUFIOREQ_EVTCHN -> {
                return options.legacyDefaultServer() ? UNKNOWN : Errno.EPERM;
            }
            default -> {
                return UNKNOWN;
            }
        }
    }

    private void checkGet(DomainShadow d, long[] values, int index, Result<?> result) {
        boolean deprecated = index == HvmParam.DM_DOMAIN || index == HvmParam.BUFIOREQ_EVTCHN;
        String where = "d" + d.domid + " get_param(" + index + ")";
        if (options.legacyDefaultServer()) {
            if (deprecated || index == HvmParam.IOREQ_PFN || index == HvmParam.BUFIOREQ_PFN) {
                return; // the default server writes these itself
            }
        } else if (deprecated) {
            if (result.errnoOrNull() != Errno.ENODATA) {
                violation("params.get-result", where + " answered " + describe(result.errnoOrNull())
                        + ", spec 13 says -ENODATA for the deprecated parameter");
            }
            return;
        }
        if (result.errnoOrNull() != null) {
            violation("params.get-result", where + " by the toolstack answered " + describe(result.errnoOrNull())
                    + ", spec 13 says it gets the stored value");
        } else if (result.value() instanceof HypercallOutput.ParamValue v && v.value() != values[index]) {
            violation("params.get-value", where + " read 0x" + Long.toHexString(v.value())
                    + ", but the toolstack's sets stored 0x" + Long.toHexString(values[index]));
        }
    }

    private static String describe(Errno e) {
        return e == null ? "0" : "-" + e.name();
    }
}
