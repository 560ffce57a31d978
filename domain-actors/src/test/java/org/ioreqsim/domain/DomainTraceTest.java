package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The model events a domain emits and the state {@link XenInspector} reads, which the stress monitors
 * and the run digest are built from (CrashChecker, LifecycleChecker, ProtocolChecker, RoutingChecker,
 * TeardownChecker). Mutation run E1 (docs/testing.md) found that removing any of these events, or an
 * inspector answering a constant, went unnoticed by the model modules' tests: the monitors only grow
 * quieter without them.
 */
class DomainTraceTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
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

        <T extends ModelEvent> List<T> of(Class<T> type) {
            synchronized (events) {
                return events.stream().filter(type::isInstance).map(type::cast).toList();
            }
        }
    }

    private final Recorder tracer = new Recorder();
    private final XenFixture xen = new XenFixture(kit, XenOptions.SEED, new Host(tracer));

    /**
     * Spec 12 ({@code domain_pause}, {@code domain_kill}): a toolstack pause is reported with the pause
     * count, which the inspector also reads; the guest's vCPUs are the inspector's; a destroyed domain is
     * reported killed.
     */
    @Test
    void pauseAndKillAreReportedAndTheInspectorReadsTheDomain() {
        int d = xen.guest(2);
        TestProbe<Done> paused = kit.createTestProbe();
        xen.domain(d).tell(new Domain.Pause(paused.ref()));
        paused.receiveMessage();
        XenInspector x = XenInspections.on(xen.host).get(d); // read once the domain has answered (plain reads)
        assertEquals(DomainState.RUNNING, x.state());
        assertEquals(List.of(0, 1), x.vcpuIds());
        assertEquals(List.of(new ModelEvent.DomainPaused(d, 1)), tracer.of(ModelEvent.DomainPaused.class));
        assertEquals(1, x.pauseCount());
        assertTrue(xen.destroyDomain(d).isOk());
        assertEquals(List.of(new ModelEvent.DomainKilled(d)), tracer.of(ModelEvent.DomainKilled.class));
    }

    /** Spec 5 step 8c: an access no server claims goes to the null handler, and is reported with its route. */
    @Test
    void anAccessTheNullHandlerTakesIsReportedWithItsRoute() {
        int d = xen.guest(1);
        Outcome o = xen.run(d, 0, GuestOp.Io.pioWrite(0x3F8, 1, 7));
        assertEquals(Outcome.Kind.DONE, o.kind());
        assertEquals(List.of(new ModelEvent.IoreqHandled(d, 0, Route.NULL_HANDLER.key(), IoStatus.OKAY)),
                tracer.of(ModelEvent.IoreqHandled.class));
    }

    /**
     * A Xen fault reached by a dm_op crashes the target domain, not the host ({@code HYPERVISOR_FAULT}):
     * acquire_resource after get_info is EPERM and the seed's {@code hvm_ioreq_server_alloc_pages} failure
     * path drops the gfn-mapped ioreq page (spec 10.7, 11.1); enabling then reaches
     * {@code hvm_remove_ioreq_gfn}'s {@code clear_page} on no page (spec 11.3 step 1; a NULL dereference in
     * Xen). The dm_op fails, the domain is crashed, and the fault and the crash are reported.
     */
    @Test
    void aFaultInADmOpCrashesTheDomainAndIsReported() {
        int d = xen.guest(1);
        assertTrue(xen.setParam(0, d, HvmParam.IOREQ_SERVER_PFN, 0xFEFF0).isOk());
        assertTrue(xen.setParam(0, d, HvmParam.NR_IOREQ_SERVER_PAGES, 8).isOk());
        int s = xen.createServer(d, 0);
        assertTrue(xen.dmOp(0, d, new DmOp.GetIoreqServerInfo(s, 0)).isOk());
        assertEquals(Errno.EPERM, xen.acquire(0, d, s, 1, 1).errnoOrNull(), "drops the ioreq page");
        assertEquals(Errno.EINVAL, xen.enable(0, d, s, true).errnoOrNull());
        DomainSnapshot snap = xen.inspect(d);
        assertEquals(DomainState.CRASHED, snap.state());
        assertTrue(snap.crashReason().startsWith("HYPERVISOR_FAULT: clear_page"), snap.crashReason());
        assertEquals(List.of(snap.crashReason()), snap.findings());
        List<ModelEvent.HypervisorFault> faults = tracer.of(ModelEvent.HypervisorFault.class);
        assertEquals(1, faults.size());
        assertEquals(d, faults.get(0).domid());
        assertEquals(List.of(new ModelEvent.DomainCrashed(d, snap.crashReason())),
                tracer.of(ModelEvent.DomainCrashed.class));
    }
}
