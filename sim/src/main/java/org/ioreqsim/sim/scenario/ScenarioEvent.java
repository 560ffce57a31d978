package org.ioreqsim.sim.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * A lifecycle event at a moment of the run, on the run's clock ({@code at}: wall-clock time in a free
 * run, simulated time in a deterministic one) or after a number of completed operations ({@code after}).
 *
 * @param at     when, from the start of the vCPUs (ignored when {@code after} is set)
 * @param after  fire once the run has completed this many operations, or -1 to fire at {@code at}
 * @param action what
 * @param domain the guest's domid (for create-domain: the group index)
 * @param server the server id (or the server spec index for create-server)
 * @param vcpu   the vCPU for remove-vcpu
 * @param type   range type for map/unmap (0 port, 1 memory, 2 pci)
 * @param start  range start for map/unmap
 * @param end    range end for map/unmap
 */
public record ScenarioEvent(Duration at, long after, Action action, int domain, int server, int vcpu, int type,
                            long start, long end) {

    public enum Action {
        CREATE_SERVER, DESTROY_SERVER, ENABLE_SERVER, DISABLE_SERVER, MAP, UNMAP, ADD_VCPU, REMOVE_VCPU,
        DESTROY_DOMAIN, PAUSE_DOMAIN, UNPAUSE_DOMAIN, CRASH_EMULATOR
    }

    public ScenarioEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
    }

    /** The trigger as a scenario file writes it: {@code at 500ms} or {@code after 2,000 completed}. */
    public String trigger() {
        if (after >= 0) {
            return String.format("after %,d completed", after);
        }
        long ms = at.toMillis();
        return ms % 1000 == 0 ? "at " + ms / 1000 + "s" : "at " + ms + "ms";
    }
}
