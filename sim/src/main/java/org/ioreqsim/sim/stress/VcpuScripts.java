package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.Workload;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * The guest side of a program: one script per vCPU lane, with a cursor that survives the vCPU (a vCPU
 * removed and added again continues where its id left off), handed to the hypervisor as the
 * {@link WorkloadFactory} of every domain.
 */
final class VcpuScripts implements WorkloadFactory {

    /** One vCPU lane. */
    static final class Script {
        final int domid;
        final int vcpu;
        final List<GuestOp> ops;
        int next;
        int incarnations;
        boolean outstanding;

        Script(int domid, int vcpu, List<GuestOp> ops) {
            this.domid = domid;
            this.vcpu = vcpu;
            this.ops = ops;
        }

        int left() {
            return ops.size() - next + (outstanding ? 1 : 0);
        }
    }

    private final Map<String, Script> scripts = new TreeMap<>();
    private final Monitor monitor;

    VcpuScripts(Program program, Monitor monitor) {
        this.monitor = monitor;
        for (Program.DomainSetup d : program.domains()) {
            for (int v = 0; v < d.maxVcpus(); v++) {
                List<GuestOp> ops = new ArrayList<>();
                for (StressOp op : program.lane(Program.vcpuLane(d.domid(), v))) {
                    if (op instanceof StressOp.Guest g) {
                        ops.add(g.guest());
                    }
                }
                scripts.put(Program.vcpuLane(d.domid(), v), new Script(d.domid(), v, ops));
            }
        }
    }

    @Override
    public Workload create(int domid, int vcpuId) {
        Script s = scripts.get(Program.vcpuLane(domid, vcpuId));
        return s == null ? Workload.IDLE : new Scripted(s, ++s.incarnations, monitor);
    }

    /** Operations not yet finished, by lane (for the liveness report). */
    Map<String, Integer> left() {
        Map<String, Integer> out = new TreeMap<>();
        scripts.forEach((k, s) -> {
            if (s.left() > 0) {
                out.put(k, s.left());
            }
        });
        return out;
    }

    /** One incarnation of a vCPU running its lane's script. */
    private static final class Scripted implements Workload {
        private final Script script;
        private final int incarnation;
        private final Monitor monitor;

        Scripted(Script script, int incarnation, Monitor monitor) {
            this.script = script;
            this.incarnation = incarnation;
            this.monitor = monitor;
        }

        @Override
        public GuestOp next() {
            if (script.next >= script.ops.size()) {
                return null;
            }
            GuestOp op = script.ops.get(script.next++);
            script.outstanding = true;
            monitor.guestOpStarted(script.domid, script.vcpu, incarnation, op);
            return op;
        }

        @Override
        public void completed(Outcome outcome) {
            if (incarnation == script.incarnations) {
                script.outstanding = false;
            }
            monitor.guestOpEnded(script.domid, script.vcpu, incarnation, outcome);
        }
    }
}
