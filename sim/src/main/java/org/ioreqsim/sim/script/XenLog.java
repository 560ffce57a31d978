package org.ioreqsim.sim.script;

import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;

/**
 * Xen's own messages as a script sees them once it says {@code log on}: the reasons the model gives
 * where Xen prints a line and gives up on a request ({@code gdprintk(XENLOG_ERR, "device model set bad
 * IO state %d\n", ...)} in {@code hvm_send_ioreq}, a buffered request not queued, a hypervisor fault),
 * each listed as a {@code ~ xen ...} event of the step that caused it. Off, it records nothing and the
 * model runs exactly as without it.
 */
final class XenLog implements ModelTracer {
    private boolean on;
    private final List<String> lines = new ArrayList<>();

    void set(boolean on) {
        this.on = on;
    }

    @Override
    public boolean enabled() {
        return on;
    }

    @Override
    public void event(ModelEvent e) {
        if (e instanceof ModelEvent.IoreqNotSent n) {
            lines.add("xen d" + n.domid() + "v" + n.vcpu() + ": " + n.reason() + " (server " + n.serverId() + ")");
        } else if (e instanceof ModelEvent.BufferedNotSent b) {
            lines.add("xen d" + b.domid() + ": " + b.reason() + " (server " + b.serverId() + ", buffered)");
        } else if (e instanceof ModelEvent.HypervisorFault f) {
            lines.add("xen d" + f.domid() + ": " + f.reason());
        }
    }

    /** The lines since the last step. */
    void collect(List<String> events) {
        events.addAll(lines);
        lines.clear();
    }
}
