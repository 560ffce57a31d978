package org.ioreqsim.ioreq.trace;

import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.RangeType;

/**
 * Facts the model reports as they happen, for monitors and traces (logs are not traces). Each names the
 * target domain it concerns. Emitted only when a {@link ModelTracer} is enabled.
 */
public sealed interface ModelEvent {

    int domid();

    record ServerCreated(int domid, int serverId, int emulatorDomid, String bufioreqMode) implements ModelEvent {
    }

    /** A server was destroyed (or destroyed with its domain); {@code orphanedVcpus} were waiting on it (H1). */
    record ServerDestroyed(int domid, int serverId, java.util.List<Integer> orphanedVcpus) implements ModelEvent {
        public ServerDestroyed {
            orphanedVcpus = java.util.List.copyOf(orphanedVcpus);
        }
    }

    /**
     * One stage of a server's teardown ({@code hvm_destroy_ioreq_server}, and for each server of
     * {@code hvm_destroy_all_ioreq_servers} on domain_kill): {@link #DISABLED} once
     * {@code hvm_ioreq_server_disable} has run (gfn pages zeroed and back in the guest physmap),
     * {@link #DEINIT} once {@code hvm_ioreq_server_deinit} has run (entries and ports freed, gfns back in the
     * pool, pages freed). The slot is emptied after it ({@link ServerDestroyed}). Lets the monitors check
     * the order; reports no state of its own.
     */
    record ServerTeardown(int domid, int serverId, String stage) implements ModelEvent {
        public static final String DISABLED = "disabled";
        public static final String DEINIT = "deinit";
    }

    record ServerStateChanged(int domid, int serverId, boolean enabled) implements ModelEvent {
    }

    record RangeChanged(int domid, int serverId, RangeType type, long start, long end, boolean mapped)
            implements ModelEvent {
    }

    /** A Xen-attached port was allocated ({@code bufioreq} for the buffered port of vCPU 0). */
    record PortAllocated(int domid, int serverId, int vcpu, int port, boolean bufioreq) implements ModelEvent {
    }

    record PortFreed(int domid, int serverId, int vcpu, int port) implements ModelEvent {
    }

    /** A synchronous request was published READY in server {@code serverId}'s slot for {@code vcpu}. */
    record IoreqSent(int domid, int vcpu, int serverId, Ioreq request) implements ModelEvent {
    }

    /** A send was refused (UNHANDLEABLE) or not made (RETRY while shutting down). */
    record IoreqNotSent(int domid, int vcpu, int serverId, IoStatus status, String reason) implements ModelEvent {
    }

    /** A request finished without any server: an internal emulator, the null handler, or a failure. */
    record IoreqHandled(int domid, int vcpu, String route, IoStatus status) implements ModelEvent {
    }

    /** The vCPU's completion consumed server {@code serverId}'s answer (or all ones if the slot was NONE). */
    record IoreqCompleted(int domid, int vcpu, int serverId, int stateSeen, long data) implements ModelEvent {
    }

    /** A write went into a server's buffered ring (pointers after the publish). */
    record BufferedSent(int domid, int serverId, int slots, int readPointer, int writePointer)
            implements ModelEvent {
    }

    /** A buffered write could not be queued: ring full, no ring, or silently dropped (H5). */
    record BufferedNotSent(int domid, int serverId, String reason) implements ModelEvent {
    }

    /** A guest operation of {@code vcpu} ended, as the guest sees it. */
    record OperationEnded(int domid, int vcpu, String kind, String route) implements ModelEvent {
    }

    record DomainCrashed(int domid, String reason) implements ModelEvent {
    }

    record DomainPaused(int domid, int pauseCount) implements ModelEvent {
    }

    record DomainUnpaused(int domid) implements ModelEvent {
    }

    record DomainKilled(int domid) implements ModelEvent {
    }

    /** A state Xen itself would not survive (hazard H12 and relatives); the model crashed the domain instead. */
    record HypervisorFault(int domid, String reason) implements ModelEvent {
    }
}
