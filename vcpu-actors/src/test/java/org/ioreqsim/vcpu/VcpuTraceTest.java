package org.ioreqsim.vcpu;

import static org.ioreqsim.vcpu.VcpuHarness.DOMID;
import static org.ioreqsim.vcpu.VcpuHarness.ROUTES;
import static org.ioreqsim.vcpu.VcpuHarness.VCPU;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The model events a vCPU emits when its guest operations end, which the stress monitors read (the
 * permission check pairs an access with its OperationEnded). A mutation run found that removing the
 * event went unnoticed: the monitors only grow quieter without it.
 */
class VcpuTraceTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** Records every event; enabled, as a stress run's tracer is. */
    static final class Recorder implements ModelTracer {
        final List<ModelEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void event(ModelEvent e) {
            events.add(e);
        }

        List<ModelEvent.OperationEnded> ended() {
            synchronized (events) {
                return events.stream().filter(ModelEvent.OperationEnded.class::isInstance)
                        .map(ModelEvent.OperationEnded.class::cast).toList();
            }
        }
    }

    /** Spec 7.1 and 7.3: a read answered by server 2 ends once, DONE, on server 2's route. */
    @Test
    void aReadAnsweredByAServerEndsOnceOnThatServersRoute() {
        Recorder tracer = new Recorder();
        VcpuHarness h = new VcpuHarness(kit, XenOptions.SEED, Workload.IDLE, tracer);
        h.addServer(2);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.runAndSend(read, 2);
        assertEquals(List.of(), tracer.ended(), "no end while the vCPU waits on the server");
        h.answer(2, 0x42);
        outcome.expectMessageClass(Outcome.class);
        assertEquals(List.of(new ModelEvent.OperationEnded(DOMID, VCPU, "DONE", ROUTES.get(2).key())),
                tracer.ended());
    }

    /** Spec 5 step 8: an access the domain handles itself ends with no server's route. */
    @Test
    void anAccessHandledByTheDomainEndsWithItsRoute() {
        Recorder tracer = new Recorder();
        VcpuHarness h = new VcpuHarness(kit, XenOptions.SEED, Workload.IDLE, tracer);
        GuestOp.Io write = GuestOp.Io.pioWrite(0x80, 1, 7);
        TestProbe<Outcome> outcome = h.run(write);
        h.expectEmulateIo();
        h.handled(IoStatus.OKAY, 0, 1, Route.NOWHERE);
        outcome.expectMessageClass(Outcome.class);
        assertEquals(List.of(new ModelEvent.OperationEnded(DOMID, VCPU, "DONE", Route.NOWHERE.key())),
                tracer.ended());
    }

    /** A think is not a guest access: it ends without an event. */
    @Test
    void aThinkEndsWithoutAnEvent() {
        Recorder tracer = new Recorder();
        VcpuHarness h = new VcpuHarness(kit, XenOptions.SEED, Workload.IDLE, tracer);
        GuestOp.Think none = new GuestOp.Think(0);
        h.run(none).expectMessage(new Outcome(none, Outcome.Kind.DONE, 0, 0, Route.NOWHERE, false));
        assertEquals(List.of(), tracer.ended());
    }
}
