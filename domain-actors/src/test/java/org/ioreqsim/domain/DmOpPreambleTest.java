package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.stream.Stream;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.DmOpCall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dm_op preamble of {@code do_dm_op}/{@code dm_op} (spec 10.1), checked in Xen's order:
 * E2BIG -> ESRCH -> EPERM(self) -> non-HVM 0 -> EPERM(XSM) -> EFAULT -> EOPNOTSUPP -> EFAULT -> EINVAL(pad).
 */
class DmOpPreambleTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static XenFixture xen;
    static int guest;
    static int unprivileged;
    static int stubForGuest;
    static int pv;

    @BeforeAll
    static void setUp() {
        xen = new XenFixture(kit);
        guest = xen.guest(1);
        unprivileged = xen.guest(1);
        stubForGuest = xen.create(DomainConfig.stubdom("dm", guest, XenOptions.SEED), -1).domid().value();
        pv = xen.create(DomainConfig.guest("pv", 1, XenOptions.SEED).withHvm(false), -1).domid().value();
    }

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    static DmOp destroy(int id) {
        return new DmOp.DestroyIoreqServer(id);
    }

    /** One row: caller, target, the call; each row breaks one more rule than the check after it. */
    static Stream<Arguments> combinedFaults() {
        DmOp d = destroy(7);
        return Stream.of(
            Arguments.of("3 buffers, unknown domain, self, bad pad", 0, 999, new DmOpCall(3, 0, 1, d), Errno.E2BIG),
            Arguments.of("unknown domain, short buffer", 0, 999, new DmOpCall(1, 0, 1, d), Errno.ESRCH),
            Arguments.of("caller is the target, short buffer", -1, -1, new DmOpCall(1, 0, 1, d), Errno.EPERM),
            Arguments.of("unprivileged caller, short buffer", -2, -3, new DmOpCall(1, 0, 1, d), Errno.EPERM),
            Arguments.of("buffer shorter than the header, op 99", 0, -3, new DmOpCall(1, 4, 1, new DmOp.Other(99)),
                    Errno.EFAULT),
            Arguments.of("no buffer at all", 0, -3, new DmOpCall(0, 8, 0, d), Errno.EFAULT),
            Arguments.of("op 19 with a short payload and bad pad", 0, -3, new DmOpCall(1, 8, 1, new DmOp.Other(19)),
                    Errno.EOPNOTSUPP),
            Arguments.of("payload short by one byte, bad pad", 0, -3, new DmOpCall(1, 11, 1, d), Errno.EFAULT),
            Arguments.of("header pad set on a bad id", 0, -3, new DmOpCall(1, 12, 1, d), Errno.EINVAL),
            Arguments.of("op 0 passes the table check, then no case", 0, -3, new DmOpCall(1, 8, 0,
                    new DmOp.Other(0)), Errno.EOPNOTSUPP),
            Arguments.of("a stub domain for the target passes XSM", -4, -3, new DmOpCall(1, 12, 0, d), Errno.ENOENT),
            Arguments.of("well formed: the op's own answer", 0, -3, new DmOpCall(1, 12, 0, d), Errno.ENOENT),
            Arguments.of("extra buffer bytes are fine", 0, -3, new DmOpCall(2, 4096, 0, d), Errno.ENOENT));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("combinedFaults")
    void checksRunInXensOrder(String what, int caller, int target, DmOpCall call, Errno expected) {
        int c = resolve(caller);
        int t = resolve(target);
        assertEquals(expected, xen.dmOp(c, t, call).errnoOrNull(), what);
    }

    @Test
    void aNonHvmTargetAnswersZeroAndDoesNothing() {
        var r = xen.dmOp(0, pv, new DmOp.CreateIoreqServer(9));
        assertTrue(r.isOk(), "seed bug: dm_op on a non-HVM target returns 0");
        assertEquals(HypercallOutput.None.INSTANCE, r.value());
    }

    @Test
    void opsThatAreNotModelledPassThePreambleAndSayENOSYS() {
        assertEquals(Errno.ENOSYS, xen.dmOp(0, guest, DmOpCall.of(new DmOp.Other(7))).errnoOrNull());
        assertEquals(Errno.EFAULT, xen.dmOp(0, guest, new DmOpCall(1, 8 + 15, 0, new DmOp.Other(7))).errnoOrNull(),
                "track_dirty_vram's payload is 16 bytes");
    }

    private static int resolve(int symbolic) {
        return switch (symbolic) {
            case -1 -> guest;
            case -2 -> unprivileged;
            case -3 -> guest;
            case -4 -> stubForGuest;
            default -> symbolic;
        };
    }
}
