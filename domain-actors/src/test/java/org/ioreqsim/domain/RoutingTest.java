package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.List;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.PciFunction;
import org.ioreqsim.ioreq.device.RamMmioRegion;
import org.ioreqsim.ioreq.device.RegisterFilePortDevice;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Server selection ({@code hvm_select_ioreq_server}, spec 6), the CF8 latch (6.1), null handler (5.1). */
class RoutingTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    static DeviceMap ports(long start, int len) {
        return DeviceMap.builder().port(start, len, new RegisterFilePortDevice("r", len)).build();
    }

    static Route server(int d, int id) {
        return Route.server(d, id);
    }

    @Test
    void theHighestEnabledSlotWinsAndDisabledServersAreNeverSelected() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        XenFixture.Qemu s0 = xen.qemu(d, 1, ports(0x3F8, 8));
        XenFixture.Qemu s1 = xen.qemu(d, 1, ports(0x3F8, 8));
        XenFixture.Qemu s2 = xen.qemu(d, 1, ports(0x3F8, 8));
        GuestOp w = GuestOp.Io.pioWrite(0x3F8, 1, 1);
        assertEquals(server(d, 2), xen.run(d, 0, w).route());
        assertTrue(s2.setEnabled(false).isOk());
        assertEquals(server(d, 1), xen.run(d, 0, w).route());
        assertTrue(s1.destroy().isOk());
        assertEquals(server(d, 0), xen.run(d, 0, w).route());
        assertTrue(s0.setEnabled(false).isOk());
        assertEquals(Route.NULL_HANDLER, xen.run(d, 0, w).route(), "only disabled servers claim it");
        assertTrue(s2.setEnabled(true).isOk());
        assertEquals(server(d, 2), xen.run(d, 0, w).route());
    }

    @ParameterizedTest(name = "port {0} size {1} -> {2}")
    @CsvSource({
        "0x3F8, 1, server", "0x3FF, 1, server", "0x3FE, 2, server", "0x3FF, 2, server", "0x3F7, 2, null",
        "0x3FC, 4, server", "0x3FD, 4, server", "0x400, 1, server", "0x3FF, 4, server", "0x400, 4, null",
        "0x402, 1, server", "0x402, 2, null",
    })
    void aPortAccessMustLieWhollyInOneStoredRange(String port, int size, String route) {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        xen.qemu(d, 1, DeviceMap.builder().port(0x3F8, 8, new RegisterFilePortDevice("a", 8))
                .port(0x400, 3, new RegisterFilePortDevice("b", 3)).build());
        Outcome o = xen.run(d, 0, GuestOp.Io.pioRead(Long.decode(port), size));
        assertEquals(route.equals("server") ? server(d, 0) : Route.NULL_HANDLER, o.route(),
                "0x3F8-0x3FF and 0x400-0x402 merge into one range");
    }

    @ParameterizedTest(name = "mmio {0} size {1} count {2} df {3} -> {4}")
    @CsvSource({
        "0xE0000800, 4, 1, false, server",
        "0xE0000FFC, 4, 1, false, server",
        "0xE0000FFE, 4, 1, false, null",
        "0xE00007FE, 4, 1, false, null",
        "0xE0000FF0, 4, 4, false, server",
        "0xE0000804, 4, 4, false, server",
        "0xE000080C, 4, 4, true, server",
        "0xE0000804, 4, 4, true, null",
        "0xE0000804, 4, 2, true, server",
    })
    void mmioContainmentCoversEveryRepAndHonoursTheDirectionFlag(String addr, int size, long count, boolean df,
                                                                 String route) {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        xen.qemu(d, 1, DeviceMap.builder().mmio(0xE0000800L, 0x800, new RamMmioRegion("m", 0x800)).build());
        Outcome o = xen.run(d, 0, new GuestOp.Io(true, Long.decode(addr), size, count, IoDirection.WRITE, df, true,
                0x1000));
        assertEquals(route.equals("server") ? server(d, 0) : Route.NULL_HANDLER, o.route());
    }

    /**
     * Spec 5 step 4: rep MMIO is cut at the 4 KiB frame ({@code hvmemul_do_io}), and the instruction runs
     * again for the rest (x86_emulate's {@code put_rep_prefix}), so every rep is done in passes.
     */
    @Test
    void repMmioIsTruncatedAtTheFourKibFrameAndContinues() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        xen.qemu(d, 1, DeviceMap.builder().mmio(0xE0000000L, 0x2000, new RamMmioRegion("m", 0x2000)).build());
        Outcome up = xen.run(d, 0, new GuestOp.Io(true, 0xE0000FF0L, 4, 16, IoDirection.WRITE, false, true, 0x1000));
        assertEquals(List.of(16L, 2), List.of(up.reps(), up.passes()), "(4096 - 0xFF0) / 4 = 4 reps, then 12");
        Outcome down = xen.run(d, 0, new GuestOp.Io(true, 0xE0001008L, 4, 16, IoDirection.WRITE, true, true, 0x5800));
        assertEquals(List.of(16L, 2), List.of(down.reps(), down.passes()), "df: (off + size) / size = 3, then 13");
        Outcome straddle = xen.run(d, 0, new GuestOp.Io(true, 0xE0000FFEL, 4, 16, IoDirection.WRITE, false, true,
                0x1000));
        assertEquals(List.of(16L, 2), List.of(straddle.reps(), straddle.passes()),
                "a rep that itself spans the frame: count 1, then 15");
    }

    /** A server owning ports 0xCF8..0xCFF (as QEMU's host bridge) and another owning PCI 00:03.0. */
    static int pciSetup(XenFixture xen) {
        int d = xen.guest(2);
        xen.qemu(d, 2, ports(0xCF8, 8));
        PciFunction nic = new PciFunction("nic", Pci.sbdf(0, 0, 3, 0), 0x8086, 0x100E, 0x020000, 3);
        xen.qemu(d, 2, DeviceMap.builder().pci(nic).build());
        return d;
    }

    @Test
    void anEnabledConfigCycleIsRoutedBySbdfAndRewrittenToPciConfig() {
        XenFixture xen = new XenFixture(kit);
        int d = pciSetup(xen);
        Outcome cf8 = xen.run(d, 0, GuestOp.Io.pioWrite(0xCF8, 4, Pci.cf8Address(0, 3, 0, 0)));
        assertEquals(server(d, 0), cf8.route(), "the latch declines: the port owner gets the CF8 write");
        assertEquals(0x80001800L, xen.inspect(d).pciCf8());
        assertEquals(0x100E8086L, xen.run(d, 0, GuestOp.Io.pioRead(0xCFC, 4)).value());
        assertEquals(server(d, 1), xen.run(d, 0, GuestOp.Io.pioRead(0xCFC, 4)).route());
        assertEquals(0x100EL, xen.run(d, 0, GuestOp.Io.pioRead(0xCFE, 2)).value(), "byte offset 2: register 2");
        assertEquals(0x80L, xen.run(d, 0, GuestOp.Io.pioRead(0xCFC + 1, 1)).value(), "register 1");
        assertEquals(0x10L, xen.run(d, 0, GuestOp.Io.pioRead(0xCFF, 1)).value(), "register 3");
        xen.run(d, 0, GuestOp.Io.pioWrite(0xCF8, 4, Pci.cf8Address(0, 4, 0, 0)));
        Outcome absent = xen.run(d, 0, GuestOp.Io.pioRead(0xCFC, 4));
        assertEquals(Route.NULL_HANDLER, absent.route(), "PCI ranges only, never the port owner of 0xCFC");
        assertEquals(0xFFFFFFFFL, absent.value());
    }

    @Test
    void onlyFourByteWritesLatchAndBit31ClearMakesCfcAnOrdinaryPort() {
        XenFixture xen = new XenFixture(kit);
        int d = pciSetup(xen);
        xen.run(d, 0, GuestOp.Io.pioWrite(0xCF8, 4, 0x00001800L));
        assertEquals(server(d, 0), xen.run(d, 0, GuestOp.Io.pioRead(0xCFC, 4)).route(), "bit 31 clear");
        xen.run(d, 0, GuestOp.Io.pioWrite(0xCF8, 2, 0x9999));
        xen.run(d, 0, GuestOp.Io.pioWrite(0xCF8, 1, 0x88));
        xen.run(d, 0, GuestOp.Io.pioRead(0xCF8, 4));
        assertEquals(0x00001800L, xen.inspect(d).pciCf8(), "1/2-byte writes and reads leave the latch alone");
        xen.run(d, 1, GuestOp.Io.pioWrite(0xCF8, 4, Pci.cf8Address(0, 3, 0, 0)));
        assertEquals(server(d, 1), xen.run(d, 0, GuestOp.Io.pioRead(0xCFC, 4)).route(),
                "the latch is domain-wide: vCPU 1's address routes vCPU 0's data cycle (H15)");
    }

    @Test
    void amdExtendedRegisterBitsAreDecodedOnlyWithTheFlagAndAnAmdFamily() {
        for (boolean flag : List.of(false, true)) {
            XenOptions o = XenOptions.SEED.with("amdExtendedCf8", flag);
            XenFixture xen = new XenFixture(kit, o);
            int d = xen.guest(DomainConfig.guest("amd", 1, o).withCpu(DomainConfig.CpuVendor.AMD, 0x15, true));
            PciFunction f = new PciFunction("f", Pci.sbdf(0, 0, 3, 0), 0x1022, 0x1234, 0, 0);
            f.writeConfig(0x40, 4, 0xAABBCCDDL);
            xen.qemu(d, 1, DeviceMap.builder().pci(f).build());
            xen.run(d, 0, GuestOp.Io.pioWrite(0xCF8, 4, 0x80001800L | 0x01000000L | 0x40));
            long v = xen.run(d, 0, GuestOp.Io.pioRead(0xCFC, 4)).value();
            assertEquals(flag ? 0xFFFFFFFFL : 0xAABBCCDDL, v,
                    flag ? "register 0x140 is outside the 256-byte space" : "bits 27..24 ignored");
        }
    }

    @ParameterizedTest(name = "null handler {0} read of {1} bytes gives {2}")
    @CsvSource({
        "false, 1, 0xFF", "false, 2, 0xFFFF", "false, 4, 0xFFFFFFFF",
        "true, 1, 0xFF", "true, 2, 0xFFFF", "true, 4, 0xFFFFFFFF", "true, 8, -1",
    })
    void theNullHandlerReadsAllOnesOfTheAccessSize(boolean mmio, int size, String expected) {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        Outcome o = xen.run(d, 0, new GuestOp.Io(mmio, mmio ? 0xD0000000L : 0x2F8, size, 1, IoDirection.READ, false,
                false, 0));
        assertEquals(Route.NULL_HANDLER, o.route());
        assertEquals(Outcome.Kind.DONE, o.kind());
        assertEquals(Long.decode(expected), o.value());
        Outcome w = xen.run(d, 0, new GuestOp.Io(mmio, mmio ? 0xD0000000L : 0x2F8, size, 1, IoDirection.WRITE, false,
                false, 0x1234));
        assertEquals(Route.NULL_HANDLER, w.route());
        assertEquals(1, w.reps());
    }

    @Test
    void theNullHandlerWritesAllOnesIntoGuestMemoryForRepReads() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        Outcome o = xen.run(d, 0, new GuestOp.Io(false, 0x2F8, 2, 3, IoDirection.READ, false, true, 0x5000));
        assertEquals(3, o.reps(), "all reps consumed");
        var mem = xen.host.guestMemory(d);
        assertEquals(0xFFFFFFFFFFFFL, mem.read(0x5000, 6));
        assertEquals(0L, mem.read(0x5006, 2), "nothing past the last rep");
    }

    @Test
    void xensInternalEmulatorsComeBeforeAnyServer() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(DomainConfig.guest("g", 1, XenOptions.SEED)
                .withIntercepts(List.of(InterceptSpec.port("pit", 0x40, 4))));
        xen.qemu(d, 1, ports(0x40, 4));
        Outcome o = xen.run(d, 0, GuestOp.Io.pioWrite(0x41, 1, 7));
        assertEquals(Route.xen("pit"), o.route());
        assertEquals(7L, xen.run(d, 0, GuestOp.Io.pioRead(0x41, 1)).value());
        assertEquals(Route.NULL_HANDLER, xen.run(d, 0, GuestOp.Io.pioRead(0x3F, 2)).route(),
                "0x3F..0x40 is inside neither the PIT's range nor the server's");
    }

    /** Spec section 5: the debug port 0xE9 handles byte writes; a read is declined and goes on. */
    @Test
    void aWriteOnlyInternalEmulatorLetsReadsThroughToTheServers() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(DomainConfig.guest("g", 1, XenOptions.SEED)
                .withIntercepts(List.of(InterceptSpec.port("debug-port", 0xE9, 1).asWriteOnly())));
        assertEquals(Route.xen("debug-port"), xen.run(d, 0, GuestOp.Io.pioWrite(0xE9, 1, 'x')).route());
        Outcome read = xen.run(d, 0, GuestOp.Io.pioRead(0xE9, 1));
        assertEquals(Route.NULL_HANDLER, read.route(), "no server claims 0xE9, so the null handler answers");
        assertEquals(0xFFL, read.value());
    }

    @Test
    void beforeTheSeedTheDefaultServerTakesWhatNobodyClaims() {
        XenOptions legacy = XenOptions.SEED.with("legacyDefaultServer", true);
        XenFixture xen = new XenFixture(kit, legacy);
        int d = xen.guest(DomainConfig.guest("old", 1, legacy).withCreatePaused(true));
        assertTrue(xen.getParam(0, d, 5).isOk(), "a toolstack read of IOREQ_PFN creates the default server");
        ServerSnapshot def = xen.server(d, 0);
        assertTrue(def.isDefault() && def.enabled());
        var probe = xen.bind(0, d, 0, new org.ioreqsim.ioreq.page.IoreqPage(xen.host.guestMemory(d).frame(0)), 1);
        TestUnpause.unpause(xen, d);
        var pending = xen.start(d, 0, GuestOp.Io.pioRead(0x2F8, 1));
        probe.awaitRequest(0);
        probe.respond(0, 0x42);
        Outcome o = pending.receiveMessage();
        assertEquals(server(d, 0), o.route());
        assertEquals(0x42L, o.value());
    }
}
