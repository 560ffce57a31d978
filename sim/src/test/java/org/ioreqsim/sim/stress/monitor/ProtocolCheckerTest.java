package org.ioreqsim.sim.stress.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.Test;

/** {@link ProtocolChecker} on hand-made events and guest reports (event-only, as in a free run). */
class ProtocolCheckerTest {
    private final Fixture f = Fixture.events();
    private final ProtocolChecker protocol = f.add(new ProtocolChecker(f.ctx));
    private final DomainShadow d = f.domain(1);

    private static ModelEvent.IoreqSent sent() {
        return new ModelEvent.IoreqSent(1, 0, 0, Fixture.pio(0x10, 1, IoDirection.READ));
    }

    private static ModelEvent.IoreqCompleted completed(long data) {
        return new ModelEvent.IoreqCompleted(1, 0, 0, IoreqState.IORESP_READY, data);
    }

    private boolean end(int incarnation, Outcome o) {
        boolean current = protocol.guestOpEnded(d, d.vcpu(0), incarnation, o);
        protocol.settled(d.vcpu(0));
        return current;
    }

    private static Outcome done(GuestOp op, long value, Route route) {
        return new Outcome(op, Outcome.Kind.DONE, value, 1, route, false);
    }

    /** Spec 7.3: completion ends a request the vCPU sent; a second completion has nothing to end. */
    @Test
    void aCompletionWithoutARequestBreaksTheProtocol() {
        f.step(0, "xen/domain-1", null).event(sent());
        f.step(1, "xen/domain-1/vcpu-0", null).event(completed(0x5A));
        assertEquals(List.of(), f.rules());
        f.event(completed(0x5A));
        assertEquals(List.of("completion.without-request"), f.rules());
    }

    /** Spec 5: one guest operation per vCPU at a time, ended once. */
    @Test
    void overlappingOrTwiceEndedOperationsAreViolations() {
        GuestOp op = GuestOp.Io.pioRead(0x10, 1);
        protocol.guestOpStarted(d, 0, 0, op);
        end(0, done(op, 0x5A, Route.server(1, 0)));
        protocol.guestOpStarted(d, 0, 0, op);
        assertEquals(List.of(), f.rules());
        protocol.guestOpStarted(d, 0, 0, op);
        assertEquals(List.of("op.overlap"), f.rules());
        end(0, done(op, 0x5A, Route.server(1, 0)));
        end(0, done(op, 0x5A, Route.server(1, 0)));
        assertEquals(List.of("op.overlap", "op.double-end"), f.rules());
    }

    /** Spec 5.1: a read the null handler serves returns all ones. */
    @Test
    void theNullHandlerReadsAllOnes() {
        GuestOp op = GuestOp.Io.pioRead(0x40, 1);
        protocol.guestOpStarted(d, 0, 0, op);
        end(0, done(op, 0xFF, Route.NULL_HANDLER));
        assertEquals(List.of(), f.rules());
        protocol.guestOpStarted(d, 0, 0, op);
        end(0, done(op, 0x12, Route.NULL_HANDLER));
        assertEquals(List.of("value.null-handler"), f.rules());
    }

    /** Spec 7.3 and 5: a read returns what completion consumed. */
    @Test
    void aReadReturnsWhatCompletionConsumed() {
        GuestOp op = GuestOp.Io.pioRead(0x10, 1);
        protocol.guestOpStarted(d, 0, 0, op);
        f.event(sent()).event(completed(0x5A));
        end(0, done(op, 0x5A, Route.server(1, 0)));
        assertEquals(List.of(), f.rules());
        protocol.guestOpStarted(d, 0, 0, op);
        f.event(sent()).event(completed(0x5A));
        end(0, done(op, 0x33, Route.server(1, 0)));
        assertEquals(List.of("value.wrong"), f.rules());
    }

    /** Spec 12: a removed incarnation's operation may only be abandoned. */
    @Test
    void aRemovedIncarnationMayNotFinish() {
        GuestOp op = GuestOp.Io.pioRead(0x10, 1);
        protocol.guestOpStarted(d, 0, 1, op);
        end(0, new Outcome(op, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
        assertEquals(List.of(), f.rules());
        end(0, done(op, 0, Route.NULL_HANDLER));
        assertEquals(List.of("remove.vcpu-ran"), f.rules());
    }

    /**
     * A removed incarnation may take in a crash of its domain late (it was told before its removal, the
     * message queued behind its pause acknowledgement: stress seed 16811); a crash is not a run. Before
     * the domain crashed, the same outcome is a removed vCPU that went on.
     */
    @Test
    void aRemovedIncarnationMayEndByACrashOfItsDomainOnlyIfTheDomainCrashed() {
        GuestOp op = GuestOp.Io.pioRead(0x10, 1);
        protocol.guestOpStarted(d, 0, 1, op);
        Outcome crashed = new Outcome(op, Outcome.Kind.DOMAIN_CRASHED, 0, 0, Route.NOWHERE, false);
        end(0, crashed);
        assertEquals(List.of("remove.vcpu-ran"), f.rules(), "no crash seen: not explained");
        d.crashed = true;
        end(0, crashed);
        assertEquals(List.of("remove.vcpu-ran"), f.rules(), "the domain crashed: nothing more reported");
    }
}
