package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HVM params touched by the seed (spec 13): order, permissions, deprecation, set-once, the gfn pool. */
class ParamsTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    static long value(Result<HypercallOutput> r) {
        assertTrue(r.isOk(), r.describe());
        return ((HypercallOutput.ParamValue) r.value()).value();
    }

    @Test
    void genericChecksComeInXensOrder() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        int other = xen.guest(1);
        int pv = xen.create(DomainConfig.guest("pv", 1, XenOptions.SEED).withHvm(false), -1).domid().value();
        assertEquals(Errno.EINVAL, xen.setParam(other, 999, 39, 0).errnoOrNull(), "index before the lookup");
        assertEquals(Errno.ESRCH, xen.setParam(other, 999, 2, 0).errnoOrNull());
        assertEquals(Errno.EINVAL, xen.setParam(0, pv, 2, 0).errnoOrNull(), "not HVM");
        assertEquals(Errno.EPERM, xen.setParam(other, d, 2, 0).errnoOrNull(), "XSM TARGET");
        assertTrue(xen.setParam(d, Xen.DOMID_SELF, HvmParam.STORE_EVTCHN, 5).isOk(), "DOMID_SELF");
        assertEquals(5, value(xen.getParam(0, d, HvmParam.STORE_EVTCHN)));
    }

    @ParameterizedTest(name = "param {0}: guest set {1}, toolstack set {2}, guest get {3}, toolstack get {4}")
    @CsvSource({
        "13, EPERM, EPERM, ENODATA, ENODATA",
        "26, EPERM, EPERM, ENODATA, ENODATA",
        "0, ok, ok, ok, ok",
        "2, ok, ok, ok, ok",
        "5, EPERM, ok, EPERM, ok",
        "6, EPERM, ok, EPERM, ok",
        "32, EPERM, ok, EPERM, ok",
        "35, EPERM, ok, ok, ok",
        "1, EPERM, ok, ok, ok",
        "36, ok, ok, ok, ok",
    })
    void permissionsOfGuestAndToolstack(int index, String guestSet, String toolSet, String guestGet, String toolGet) {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        long v = index == 36 ? 4 : index == 13 ? Xen.DOMID_SELF : 0x10;
        assertEquals(err(guestSet), xen.setParam(d, d, index, v).errnoOrNull(), "guest set");
        assertEquals(err(toolSet), xen.setParam(0, d, index, v).errnoOrNull(), "toolstack set");
        assertEquals(err(guestGet), xen.getParam(d, d, index).errnoOrNull(), "guest get");
        assertEquals(err(toolGet), xen.getParam(0, d, index).errnoOrNull(), "toolstack get");
    }

    private static Errno err(String s) {
        return s.equals("ok") ? null : Errno.valueOf(s);
    }

    @Test
    void readingIoreqPfnCreatesNothingAfterTheSeed() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(DomainConfig.guest("g", 1, XenOptions.SEED).withCreatePaused(true));
        assertEquals(0, value(xen.getParam(0, d, HvmParam.IOREQ_PFN)));
        assertEquals(0, value(xen.getParam(0, d, HvmParam.BUFIOREQ_PFN)));
        assertEquals(Errno.ENODATA, xen.getParam(0, d, HvmParam.BUFIOREQ_EVTCHN).errnoOrNull());
        assertEquals(0, xen.inspect(d).servers().size());
    }

    @Test
    void poolParamsAreSetOnceValidatedAndReSettingTheSameCountReusesGfns() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        assertTrue(xen.setParam(0, d, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0).isOk());
        assertEquals(Errno.EEXIST, xen.setParam(0, d, HvmParam.IOREQ_SERVER_PFN, 0xFEFF1).errnoOrNull());
        assertTrue(xen.setParam(0, d, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0).isOk(), "the same value again");
        assertEquals(Errno.EINVAL, xen.setParam(0, d, HvmParam.NR_IOREQ_SERVER_PAGES, 0).errnoOrNull());
        assertEquals(Errno.EINVAL, xen.setParam(0, d, HvmParam.NR_IOREQ_SERVER_PAGES, 65).errnoOrNull());
        assertTrue(xen.setParam(0, d, HvmParam.NR_IOREQ_SERVER_PAGES, 1).isOk());
        assertEquals(Errno.EEXIST, xen.setParam(0, d, HvmParam.NR_IOREQ_SERVER_PAGES, 2).errnoOrNull());
        int a = xen.createServer(d, 0);
        int b = xen.createServer(d, 0);
        var infoA = (HypercallOutput.IoreqServerInfo) xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(a, 0)).value();
        assertEquals(Errno.ENOMEM, xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(b, 0)).errnoOrNull());
        assertTrue(xen.setParam(0, d, HvmParam.NR_IOREQ_SERVER_PAGES, 1).isOk(), "same value: allowed");
        var infoB = (HypercallOutput.IoreqServerInfo) xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(b, 0)).value();
        assertEquals(infoA.ioreqGfn(), infoB.ioreqGfn(), "H14: the same gfn handed to two servers");
    }

    @Test
    void beforeTheSeedDmDomainAndBufioreqEvtchnBehaveTheOldWay() {
        XenOptions legacy = XenOptions.SEED.with("legacyDefaultServer", true);
        XenFixture xen = new XenFixture(kit, legacy);
        int d = xen.guest(DomainConfig.guest("old", 1, legacy).withCreatePaused(true));
        assertEquals(Errno.EINVAL, xen.setParam(0, d, HvmParam.DM_DOMAIN, 0).errnoOrNull());
        assertTrue(xen.setParam(0, d, HvmParam.DM_DOMAIN, Xen.DOMID_SELF).isOk());
        assertEquals(0, value(xen.getParam(0, d, HvmParam.DM_DOMAIN)), "stores the caller's domid");
        assertEquals(Errno.EPERM, xen.setParam(d, d, HvmParam.DM_DOMAIN, Xen.DOMID_SELF).errnoOrNull());
        assertEquals(Errno.EINVAL, xen.setParam(0, d, HvmParam.BUFIOREQ_EVTCHN, 1).errnoOrNull());
        assertEquals(Errno.EPERM, xen.getParam(d, d, HvmParam.BUFIOREQ_EVTCHN).errnoOrNull());
        long port = value(xen.getParam(0, d, HvmParam.BUFIOREQ_EVTCHN));
        ServerSnapshot def = xen.server(d, 0);
        assertTrue(def.isDefault());
        assertEquals(def.bufioreqPort(), port, "the default server's bufioreq port is published in param 26");
        assertEquals(Errno.EOPNOTSUPP, xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(0, 1)).errnoOrNull());
        assertEquals(Errno.EOPNOTSUPP, xen.dmOp(0, d, new DmOp.SetIoreqServerState(0, false)).errnoOrNull());
        assertEquals(Errno.EPERM, xen.dmOp(0, d, new DmOp.DestroyIoreqServer(0)).errnoOrNull());
        assertEquals(Errno.EINVAL, xen.dmOp(0, d, new DmOp.MapIoRangeToIoreqServer(0, 0, 5, 4)).errnoOrNull(),
                "start > end is checked before id 0");
        assertEquals(Errno.EOPNOTSUPP, xen.dmOp(0, d, new DmOp.MapIoRangeToIoreqServer(0, 0, 4, 5)).errnoOrNull());
        TestUnpause.unpause(xen, d);
        assertNull(xen.getParam(0, d, HvmParam.IOREQ_PFN).errnoOrNull());
        assertEquals(1, xen.inspect(d).servers().size(), "after creation finished, reads create nothing");
    }
}
