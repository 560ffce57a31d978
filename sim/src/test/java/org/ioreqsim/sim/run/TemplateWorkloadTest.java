package org.ioreqsim.sim.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.sim.exec.VcpuCountdown;
import org.ioreqsim.sim.scenario.AccessTemplate;
import org.ioreqsim.sim.scenario.ScenarioFile;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a template workload draws, how it pairs CF8/CFC, and how its loops end. */
class TemplateWorkloadTest {

    private static List<AccessTemplate> templates(String... accesses) {
        StringBuilder w = new StringBuilder("domains = [ { workload = [");
        for (String a : accesses) {
            w.append("{ weight = 1, access = \"").append(a).append("\" }\n");
        }
        return ScenarioFile.parse("t", w.append("] } ]").toString()).groups().get(0).workload();
    }

    private static TemplateWorkload.Plan plan(List<AccessTemplate> t, long requests, VcpuCountdown running) {
        return new TemplateWorkload.Plan(t, 0, 0, requests, new RunMetrics(), running, new AtomicLong(Long.MAX_VALUE));
    }

    private static List<GuestOp> drain(TemplateWorkload w) {
        List<GuestOp> ops = new ArrayList<>();
        for (GuestOp op = w.next(); op != null; op = w.next()) {
            ops.add(op);
            w.completed(new Outcome(op, Outcome.Kind.DONE, 0, 1, Route.NULL_HANDLER, false));
        }
        return ops;
    }

    @Test
    void theSameSeedAndIdentityDrawTheSameAccesses() {
        List<AccessTemplate> t = templates("pio write 0x3f8 size=1", "mmio read 0xfebc0000-0xfebdffff size=4",
                "pio read 0x2f8-0x2ff size=1");
        VcpuCountdown running = new VcpuCountdown();
        List<GuestOp> a = drain(new TemplateWorkload(7, 1, 0, plan(t, 200, running)));
        List<GuestOp> b = drain(new TemplateWorkload(7, 1, 0, plan(t, 200, running)));
        List<GuestOp> other = drain(new TemplateWorkload(7, 1, 1, plan(t, 200, running)));
        assertEquals(200, a.size());
        assertEquals(a, b);
        assertTrue(!a.equals(other), "another vCPU draws another sequence");
        assertEquals(0, running.running(), "every workload that ran out finished");
        for (GuestOp op : a) {
            GuestOp.Io io = (GuestOp.Io) op;
            if (io.mmio()) {
                assertEquals(0, io.addr() % 4, "MMIO reads are aligned to their size");
                assertTrue(io.addr() >= 0xFEBC0000L && io.addr() + 4 <= 0xFEBE0000L);
            }
        }
    }

    @Test
    void aPciConfigAccessIsTheCf8WriteThenTheCfcCycle() {
        List<GuestOp> ops = drain(new TemplateWorkload(1, 1, 0, plan(templates("pci read 00:03.0 reg=0x3e size=2"), 4,
                new VcpuCountdown())));
        assertEquals(4, ops.size(), "two pairs, each two ioreqs");
        assertEquals(GuestOp.Io.pioWrite(0xCF8, 4, Pci.cf8Address(Pci.sbdf(0, 0, 3, 0), 0x3C)), ops.get(0));
        assertEquals(GuestOp.Io.pioRead(0xCFE, 2), ops.get(1), "register 0x3e is CFC + 2");
    }

    @Test
    void aDeadlineNeverFallsBetweenCf8AndCfc() {
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
        VcpuCountdown running = new VcpuCountdown();
        TemplateWorkload w = new TemplateWorkload(1, 1, 0, new TemplateWorkload.Plan(
                templates("pci write 00:03.0 reg=0x40 size=4"), 0, 0, 0, new RunMetrics(), running, deadline));
        GuestOp cf8 = w.next();
        w.completed(new Outcome(cf8, Outcome.Kind.DONE, 0, 1, Route.xen("cf8"), false));
        deadline.set(0);
        GuestOp cfc = w.next();
        assertEquals(0xCFCL, ((GuestOp.Io) cfc).addr());
        w.completed(new Outcome(cfc, Outcome.Kind.DONE, 0, 1, Route.NULL_HANDLER, false));
        assertNull(w.next());
        assertEquals(0, running.running());
    }

    @Test
    void anOpenLoopWaitsForArrivalsAndAbandonedAccessesEndTheVcpu() {
        VcpuCountdown running = new VcpuCountdown();
        TemplateWorkload w = new TemplateWorkload(1, 1, 0, new TemplateWorkload.Plan(templates("rtc"), 0, 10, 0,
                new RunMetrics(), running, new AtomicLong(Long.MAX_VALUE)));
        GuestOp first = w.next();
        assertInstanceOf(GuestOp.Think.class, first, "at 10 per second the first arrival is still to come");
        assertTrue(((GuestOp.Think) first).nanos() > 0);
        assertEquals(1, running.running());
        w.completed(new Outcome(first, Outcome.Kind.DONE, 0, 0, Route.NOWHERE, false));
        assertEquals(1, running.running(), "a think that ends is no access and ends nothing");
        w.completed(new Outcome(first, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
        assertEquals(0, running.running(), "a vCPU removed while it waits for an arrival ends its workload");
        assertNull(w.next());
    }
}
