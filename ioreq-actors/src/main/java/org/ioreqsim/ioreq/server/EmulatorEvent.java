package org.ioreqsim.ioreq.server;

import java.util.Map;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Ioreq;

/** Facts an emulator reports to whoever started it. */
public sealed interface EmulatorEvent {

    /**
     * Start-up finished: the server id, its bufioreq port and the local port bound for each vCPU (in
     * vCPU order: iteration and {@code toString} order do not depend on the JVM run, as {@code Map.copyOf}'s do).
     */
    record Started(int targetDomid, int serverId, int bufioreqPort, Map<Integer, Integer> localPorts)
            implements EmulatorEvent {
        public Started {
            localPorts = PortsByVcpu.copyOf(localPorts);
        }
    }

    /** A start-up step failed with Xen's errno (the emulator stops). */
    record StartFailed(int targetDomid, String step, Errno errno) implements EmulatorEvent {
    }

    /** Manual handling: a request of {@code vcpu} is READY in the slot. */
    record RequestPending(int targetDomid, int serverId, int vcpu, Ioreq request) implements EmulatorEvent {
    }

    /** A fatal condition (QEMU's hw_error): the emulator died. */
    record Failed(int targetDomid, int serverId, String reason) implements EmulatorEvent {
    }

    /** The server was destroyed and the emulator stopped. */
    record Destroyed(int targetDomid, int serverId) implements EmulatorEvent {
    }
}
