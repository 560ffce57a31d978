package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.List;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.page.Page;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PortChecker}'s fresh-port rule (spec 4.1, 4.2, 4.4): a port Xen allocates, or an emulator binds,
 * starts with pending and masked clear. Real event-channel tables of a target (d1) and an emulator domain
 * (d0), on a host of their own.
 */
class FreshPortTest {
    private static ActorTestKit kit;
    private static TestProbe<String> upcalls;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create();
        upcalls = kit.createTestProbe();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static final GuestMemory NO_MEMORY = new GuestMemory() {
        @Override
        public boolean isPopulated(long gpa) {
            return false;
        }

        @Override
        public long read(long gpa, int size) {
            return -1;
        }

        @Override
        public void write(long gpa, int size, long value) {
        }

        @Override
        public Page frame(long gfn) {
            return null;
        }
    };

    private final Host host = new Host();
    private final EventChannelTable target = new EventChannelTable(1, 64);
    private final EventChannelTable emulator = new EventChannelTable(0, 64);

    private Fixture fixture() {
        host.register(1, target, NO_MEMORY);
        host.register(0, emulator, NO_MEMORY);
        Fixture f = Fixture.direct();
        f.ctx.host = host;
        f.domain(1).table = target;
        f.step(10, "d1-c0/qemu-0", null);
        return f;
    }

    private int xenPort() {
        return target.allocUnboundXen(0, 0, p -> new EventChannelConsumer<>(upcalls.ref(), "wake")).value();
    }

    /** A port Xen allocated for a server entry: clean, or left pending/masked by its last user. */
    @Test
    void aXenPortMustStartNeitherPendingNorMasked() {
        Fixture f = fixture();
        f.add(new PortChecker(f.ctx));
        int p = xenPort();
        f.event(new ModelEvent.PortAllocated(1, 0, 0, p, false));
        assertEquals(List.of(), f.rules(), "a fresh port");

        int q = xenPort();
        target.mask(q);    // what an evtchn_free that forgot the port's bits would hand out
        f.event(new ModelEvent.PortAllocated(1, 0, 1, q, false));
        assertEquals(List.of("ports.fresh-not-clean"), f.rules());
    }

    /** The bind marks the emulator's new port pending: on a clean port that is one upcall. */
    @Test
    void aBindOnACleanPortRaisesItsUpcall() {
        Fixture f = fixture();
        PortChecker ports = f.add(new PortChecker(f.ctx));
        int p = xenPort();
        int local = host.bindInterdomain(0, 1, p, l -> new EventChannelConsumer<>(upcalls.ref(), "upcall " + l)).value();
        upcalls.expectMessage("upcall " + local);
        ports.checkFreshBindings(f.domain(1));
        ports.checkFreshBindings(f.domain(1));
        assertEquals(List.of(), f.rules(), "one upcall, nothing coalesced");
    }

    /**
     * A bind whose pending bit raised no upcall: what a port reused with a stale pending bit (the bind's
     * notification coalesces) or a stale mask (it is held back) looks like. (A correct table cannot be made
     * to reuse a dirty port, so the upcall is withheld here by binding with no consumer.)
     */
    @Test
    void aBindThatRaisedNoUpcallWasNotOnACleanPort() {
        Fixture f = fixture();
        PortChecker ports = f.add(new PortChecker(f.ctx));
        int p = xenPort();
        host.bindInterdomain(0, 1, p, l -> null);
        ports.checkFreshBindings(f.domain(1));
        assertEquals(List.of("ports.fresh-not-clean"), f.rules());
        ports.checkFreshBindings(f.domain(1));
        assertEquals(1, f.rules().size(), "each binding is judged once, when it is first seen");
    }
}
