package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hazard H5 ({@code hvm_send_buffered_ioreq}, spec 8.2 step 2): an unbufferable request is dropped while
 * claiming success at the seed; 2e0b545b84 makes it UNHANDLEABLE. Neither real producer can make one,
 * so the sender is driven directly.
 */
class UnbufferableDropTest {

    static IoStatus send(boolean fixed, long addr, boolean ptr, long count) {
        XenOptions o = XenOptions.SEED.with("fixBufferedDropClaim", fixed);
        MachineMemory mem = new MachineMemory();
        EventChannelTable evtchn = new EventChannelTable(1, 1023);
        DomainCounters counters = new DomainCounters();
        List<String> findings = new ArrayList<>();
        IoreqServers servers = new IoreqServers(1, evtchn, new GuestPhysmap(1, mem), new IoreqGfnPool(),
                new long[64], mem, o, new ArrayList<>(), findings::add, ModelTracer.NONE, counters, new DomainRefs());
        HvmIoreqServer s = new HvmIoreqServer(0, 0, BufioreqMode.ATOMIC, false);
        s.bufioreq.set(mem.allocate(0), org.ioreqsim.ioreq.Xen.INVALID_GFN);
        servers.slots[0] = s;
        IoreqRouting routing = new IoreqRouting(servers, evtchn, o, false, ModelTracer.NONE, counters);
        Ioreq p = new Ioreq(addr, 7, count, 4, 0, IoreqState.READY, ptr, IoDirection.WRITE, false, IoreqType.COPY);
        IoStatus rc = routing.sendBuffered(s, p);
        assertEquals(0, BufferedIoreqPage.used(s.bufioreq.bufferedPage().pointers()), "nothing is queued");
        assertEquals(1, s.buffered.droppedUnbufferable, "the drop is counted (server snapshot's buffered stats)");
        return rc;
    }

    @ParameterizedTest(name = "addr {0} ptr {1} count {2}")
    @CsvSource({"0x100000, false, 1", "0xA0000, true, 1", "0xA0000, false, 2", "0xA0000, false, 0"})
    void unbufferableRequestsAreDroppedClaimingSuccessUnlessFixed(String addr, boolean ptr, long count) {
        assertEquals(IoStatus.OKAY, send(false, Long.decode(addr), ptr, count), "seed: silently dropped, OKAY");
        assertEquals(IoStatus.UNHANDLEABLE, send(true, Long.decode(addr), ptr, count), "fixed: UNHANDLEABLE");
    }
}
