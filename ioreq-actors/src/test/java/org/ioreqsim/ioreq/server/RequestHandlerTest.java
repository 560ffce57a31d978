package org.ioreqsim.ioreq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.PciFunction;
import org.junit.jupiter.api.Test;

/**
 * QEMU's {@code handle_ioreq} for the request types the emulator carries out without a port or MMIO
 * device (spec 3.1 types, spec 15): a PCI config cycle goes to the registered function (a write is
 * applied, then reads back through the register's writable mask), one to no function reads all ones;
 * TIMEOFFSET accumulates, synchronous or buffered (spec 8.1). Added after mutation run E2
 * (docs/testing.md): only the stress campaign sent these, and it never read a written config register
 * back.
 */
class RequestHandlerTest {
    private static final long SBDF = Pci.sbdf(0, 0, 3, 0);
    private final PciFunction nic = new PciFunction("nic", SBDF, 0x8086, 0x100E, 0x020000, 3);
    private final EmulatorStats.Counters stats = new EmulatorStats.Counters();
    /** No pointer request here, so no guest memory. */
    private final RequestHandler handler = new RequestHandler(DeviceMap.builder().pci(nic).build(), null, stats);

    static Ioreq config(long sbdf, long reg, int size, IoDirection dir, long data) {
        return new Ioreq(Pci.configKey(sbdf, reg), data, 1, size, 0, IoreqState.INPROCESS, false, dir, false,
                IoreqType.PCI_CONFIG);
    }

    @Test
    void aConfigWriteReachesTheFunctionAndReadsBack() {
        assertEquals(0x8086L, handler.handle(config(SBDF, 0x00, 2, IoDirection.READ, 0)), "vendor id");
        handler.handle(config(SBDF, 0x3C, 1, IoDirection.WRITE, 0x0B));
        assertEquals(0x0BL, handler.handle(config(SBDF, 0x3C, 1, IoDirection.READ, 0)), "interrupt line");
        assertEquals(0x0BL, nic.readConfig(0x3C, 1));
        assertEquals(3, stats.pciConfig);
        assertEquals(0xFFFFL, handler.handle(config(Pci.sbdf(0, 0, 4, 0), 0, 2, IoDirection.READ, 0)),
                "no function: all ones");
        assertEquals(1, stats.unclaimed);
    }

    @Test
    void timeOffsetsAccumulateSynchronousAndBuffered() {
        Ioreq t = new Ioreq(0, 100, 1, 8, 0, IoreqState.INPROCESS, false, IoDirection.WRITE, false,
                IoreqType.TIMEOFFSET);
        handler.handle(t);
        handler.handle(t.withData(-30));
        handler.bufferedWrite(IoreqType.TIMEOFFSET.code(), 0, 8, 5);
        assertEquals(75L, handler.timeOffset());
        assertEquals(3, stats.timeoffset);
        assertEquals(1, stats.bufferedDelivered);
    }

    /** INVALIDATE (spec 3.1, {@code send_invalidate_req}): QEMU flushes its map cache; counted. */
    @Test
    void anInvalidateIsCounted() {
        handler.handle(new Ioreq(0, ~0L, 0, 4, 0, IoreqState.INPROCESS, false, IoDirection.WRITE, false,
                IoreqType.INVALIDATE));
        assertEquals(1, stats.invalidate);
    }
}
