package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.stream.Stream;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * map/unmap_io_range (spec 10.4, 10.5): pad -> start > end (XSA-238, before the lookup) -> ENOENT ->
 * EPERM -> type -> EEXIST/ENOENT -> the change (ENOMEM at the limit).
 */
class RangeOpsTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static XenFixture xen;
    static int d;
    static int stub;
    static int s;

    @BeforeAll
    static void setUp() {
        xen = new XenFixture(kit);
        d = xen.guest(1);
        stub = xen.create(DomainConfig.stubdom("dm", d, XenOptions.SEED), -1).domid().value();
        s = xen.createServer(d, 0);
        assertTrue(xen.map(0, d, s, 0, 0x3F8, 0x3FF).isOk());
    }

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    static Stream<Arguments> mapFaults() {
        return Stream.of(
            Arguments.of("pad, start > end, unknown id, bad type", 0, new DmOp.MapIoRangeToIoreqServer(7, 1, 9, 5, 4),
                    Errno.EINVAL),
            Arguments.of("start > end, unknown id, bad type", 0, new DmOp.MapIoRangeToIoreqServer(7, 0, 9, 5, 4),
                    Errno.EINVAL),
            Arguments.of("unknown id, bad type", 0, new DmOp.MapIoRangeToIoreqServer(7, 0, 9, 4, 5), Errno.ENOENT),
            Arguments.of("id beyond the table", 0, new DmOp.MapIoRangeToIoreqServer(8, 0, 0, 4, 5), Errno.ENOENT),
            Arguments.of("another emulator, bad type", -1, new DmOp.MapIoRangeToIoreqServer(0, 0, 9, 4, 5),
                    Errno.EPERM),
            Arguments.of("bad type, overlapping", 0, new DmOp.MapIoRangeToIoreqServer(0, 0, 3, 0x3F8, 0x3F8),
                    Errno.EINVAL),
            Arguments.of("overlap within this server", 0, new DmOp.MapIoRangeToIoreqServer(0, 0, 0, 0x3F0, 0x3F8),
                    Errno.EEXIST));
    }

    @ParameterizedTest(name = "map: {0} -> {3}")
    @MethodSource("mapFaults")
    void mapChecksInXensOrder(String what, int caller, DmOp op, Errno expected) {
        assertEquals(expected, xen.dmOp(caller < 0 ? stub : caller, d, op).errnoOrNull(), what);
    }

    static Stream<Arguments> unmapFaults() {
        return Stream.of(
            Arguments.of("pad", 0, new DmOp.UnmapIoRangeFromIoreqServer(0, 2, 0, 0x3F8, 0x3FF), Errno.EINVAL),
            Arguments.of("start > end before lookup", 0, new DmOp.UnmapIoRangeFromIoreqServer(7, 0, 0, 9, 8),
                    Errno.EINVAL),
            Arguments.of("unknown id", 0, new DmOp.UnmapIoRangeFromIoreqServer(7, 0, 0, 8, 9), Errno.ENOENT),
            Arguments.of("another emulator", -1, new DmOp.UnmapIoRangeFromIoreqServer(0, 0, 0, 0x3F8, 0x3FF),
                    Errno.EPERM),
            Arguments.of("bad type", 0, new DmOp.UnmapIoRangeFromIoreqServer(0, 0, 5, 0x3F8, 0x3FF), Errno.EINVAL),
            Arguments.of("not inside one range", 0, new DmOp.UnmapIoRangeFromIoreqServer(0, 0, 0, 0x3F0, 0x3F9),
                    Errno.ENOENT),
            Arguments.of("other type has nothing", 0, new DmOp.UnmapIoRangeFromIoreqServer(0, 0, 1, 0x3F8, 0x3F8),
                    Errno.ENOENT));
    }

    @ParameterizedTest(name = "unmap: {0} -> {3}")
    @MethodSource("unmapFaults")
    void unmapChecksInXensOrder(String what, int caller, DmOp op, Errno expected) {
        assertEquals(expected, xen.dmOp(caller < 0 ? stub : caller, d, op).errnoOrNull(), what);
    }

    @Test
    void adjacentRangesMergeAndSplittingAtTheLimitFails() {
        XenFixture x = new XenFixture(kit);
        int g = x.guest(1);
        int id = x.createServer(g, 0);
        for (int i = 0; i < 256; i++) {
            assertTrue(x.map(0, g, id, 1, 0x1000L * i * 2, 0x1000L * i * 2 + 0xFF).isOk(), "range " + i);
        }
        assertEquals(Errno.ENOMEM, x.map(0, g, id, 1, 0x100000000L, 0x100000000L).errnoOrNull(),
                "the 257th stored range: ENOMEM, not ENOSPC");
        assertTrue(x.map(0, g, id, 1, 0x100, 0x1FF).isOk(), "adjacent: merges at the limit");
        assertEquals(Errno.ENOMEM, x.dmOp(0, g, new DmOp.UnmapIoRangeFromIoreqServer(id, 1, 0x80, 0x8F))
                .errnoOrNull(), "a split needs a new range");
        assertTrue(x.dmOp(0, g, new DmOp.UnmapIoRangeFromIoreqServer(id, 1, 0x0, 0x8F)).isOk(), "a prefix does not");
        assertTrue(x.map(0, g, id, 2, 0x18, 0x18).isOk(), "PCI ranges are a separate set");
        assertEquals(1, x.server(g, id).pciRanges().size());
        assertEquals(256, x.server(g, id).memoryRanges().size());
    }

    @Test
    void registrationsThatTouchMergeIntoOneStoredRange() {
        XenFixture x = new XenFixture(kit);
        int g = x.guest(1);
        int id = x.createServer(g, 0);
        assertTrue(x.map(0, g, id, 0, 0x60, 0x60).isOk());
        assertTrue(x.map(0, g, id, 0, 0x61, 0x64).isOk());
        assertEquals(1, x.server(g, id).portRanges().size());
        assertEquals(0x60, x.server(g, id).portRanges().get(0)[0]);
        assertEquals(0x64, x.server(g, id).portRanges().get(0)[1]);
    }
}
