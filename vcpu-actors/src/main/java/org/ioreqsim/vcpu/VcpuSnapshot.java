package org.ioreqsim.vcpu;

import java.util.List;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;

/**
 * A vCPU's observable state.
 *
 * @param vcpuId         the vCPU
 * @param state          the reported state
 * @param pendingServers ids of servers holding a pending entry for it, highest first
 * @param latched        Xen's latched request ({@code io_req})
 * @param operations     guest operations started
 * @param completed      guest operations finished
 * @param rax            the guest's RAX as its last port read left it ({@code handle_pio}: a 4-byte read
 *                       zero-extends, a 1- or 2-byte read replaces only the low bytes)
 */
public record VcpuSnapshot(int vcpuId, VcpuState state, List<Integer> pendingServers, Ioreq latched,
                           long operations, long completed, long rax) {

    /** A vCPU whose registers nothing has written (RAX 0, as a vCPU starts). */
    public VcpuSnapshot(int vcpuId, VcpuState state, List<Integer> pendingServers, Ioreq latched, long operations,
                        long completed) {
        this(vcpuId, state, pendingServers, latched, operations, completed, 0);
    }

    public VcpuSnapshot {
        pendingServers = List.copyOf(pendingServers);
    }

    /**
     * The snapshot of a vCPU in {@code state}, or, when {@code state} is {@code null}, in Xen: blocked on
     * its pending servers, orphaned when none is pending yet the latch is still READY (or a broadcast,
     * which latches nothing, is in flight), running otherwise. A running vCPU that is paused is PAUSED.
     */
    static VcpuSnapshot of(VcpuIo io, VcpuState state, boolean paused, boolean broadcast, long operations,
                           long completed, long rax) {
        int[] pending = io.pendingServers();
        List<Integer> ids = new java.util.ArrayList<>();
        for (int id : pending) {
            ids.add(id);
        }
        if (state == null) {
            state = !io.isSentToServer() ? VcpuState.RUNNING
                    : pending.length == 0 && (io.latched().state() == IoreqState.READY || broadcast)
                    ? VcpuState.BLOCKED_ORPHANED : VcpuState.BLOCKED_ON_IOREQ;
        }
        if (paused && state == VcpuState.RUNNING) {
            state = VcpuState.PAUSED;
        }
        return new VcpuSnapshot(io.vcpuId(), state, ids, io.latched(), operations, completed, rax);
    }

    /** {@code "BLOCKED_ON_IOREQ(0)"}, {@code "RUNNING"}, ... */
    public String describe() {
        if (state == VcpuState.BLOCKED_ON_IOREQ) {
            StringBuilder sb = new StringBuilder("BLOCKED_ON_IOREQ(");
            for (int i = 0; i < pendingServers.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(pendingServers.get(i));
            }
            return sb.append(')').toString();
        }
        return state.name();
    }
}
