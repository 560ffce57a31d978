package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.sim.stress.StressOp;
import org.junit.jupiter.api.Test;

/** {@link ParamChecker}: the toolstack's HVM parameter calls against spec 13. */
class ParamCheckerTest {

    private static final Result<?> OK = Result.ok(HypercallOutput.None.INSTANCE);

    private static void set(Fixture f, ParamChecker c, int index, long value, Result<?> answer) {
        c.laneOpDone(f.domain(1), new StressOp.SetParam(index, value), answer);
    }

    private static void get(Fixture f, ParamChecker c, int index, Result<?> answer) {
        c.laneOpDone(f.domain(1), new StressOp.GetParam(index), answer);
    }

    private static Result<?> value(long v) {
        return Result.ok(new HypercallOutput.ParamValue(v));
    }

    /** Spec 13: set-once refuses only a different value; the same value again succeeds. */
    @Test
    void setOnceRefusesOnlyADifferentValue() {
        Fixture f = Fixture.events();
        ParamChecker c = f.add(new ParamChecker(f.ctx));
        f.step(0, "lane/toolstack-1", null);
        set(f, c, HvmParam.NR_IOREQ_SERVER_PAGES, 8, OK);
        set(f, c, HvmParam.NR_IOREQ_SERVER_PAGES, 8, OK);
        set(f, c, HvmParam.NR_IOREQ_SERVER_PAGES, 4, Result.err(Errno.EEXIST));
        set(f, c, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0, OK);
        get(f, c, HvmParam.NR_IOREQ_SERVER_PAGES, value(8));
        get(f, c, HvmParam.DM_DOMAIN, Result.err(Errno.ENODATA));
        set(f, c, HvmParam.NR_IOREQ_SERVER_PAGES, 4, Result.err(Errno.ESRCH));
        assertEquals(List.of(), f.rules(), "a correct Xen");
        set(f, c, HvmParam.NR_IOREQ_SERVER_PAGES, 8, Result.err(Errno.EEXIST));
        assertEquals(List.of("params.set-result"), f.rules(), "the stored value again was refused");
    }

    /** Spec 13: NR_IOREQ_SERVER_PAGES is 1..64; a different value after a set is EEXIST before that. */
    @Test
    void pageCountOutOfRangeIsEinval() {
        Fixture f = Fixture.events();
        ParamChecker c = f.add(new ParamChecker(f.ctx));
        f.step(0, "lane/toolstack-1", null);
        set(f, c, HvmParam.NR_IOREQ_SERVER_PAGES, 65, Result.err(Errno.EINVAL));
        set(f, c, HvmParam.NR_IOREQ_SERVER_PAGES, 0, Result.err(Errno.EINVAL));
        assertEquals(List.of(), f.rules());
        set(f, c, HvmParam.NR_IOREQ_SERVER_PAGES, 65, OK);
        assertEquals(List.of("params.set-result"), f.rules());
    }

    /** Spec 13: a get returns the stored value; the deprecated parameters answer -ENODATA. */
    @Test
    void getsReturnTheStoredValue() {
        Fixture f = Fixture.events();
        ParamChecker c = f.add(new ParamChecker(f.ctx));
        f.step(0, "lane/toolstack-1", null);
        set(f, c, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0, OK);
        get(f, c, HvmParam.IOREQ_SERVER_PFN, value(0xFEFF0));
        assertEquals(List.of(), f.rules());
        get(f, c, HvmParam.IOREQ_SERVER_PFN, value(0));
        get(f, c, HvmParam.BUFIOREQ_EVTCHN, value(5));
        assertEquals(List.of("params.get-value", "params.get-result"), f.rules());
    }
}
