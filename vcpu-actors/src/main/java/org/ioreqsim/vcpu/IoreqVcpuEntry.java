package org.ioreqsim.vcpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ioreqsim.ioreq.page.ServerPage;

/**
 * A vCPU's entry on one ioreq server ({@code struct hvm_ioreq_vcpu}): the Xen-attached port the
 * server's emulator binds to, and whether a request of this vCPU is pending at that server.
 *
 * <p>The domain creates and frees entries (with the vCPU paused) and sets {@code pending} when it
 * sends; the vCPU reads and clears it in completion. Xen sets {@code pending} after notifying; here it
 * is set before, so that a wake-up can never overtake it — unobservable in Xen, where the same vCPU
 * runs both steps.
 */
public final class IoreqVcpuEntry {
    private final int serverId;
    private final int vcpuId;
    private final int ioreqPort;
    private final ServerPage ioreqPage;
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(IoreqVcpuEntry.class, "pending", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Set by the domain, cleared by the vCPU: release writes, acquire reads (messages order the hand-over). */
    @SuppressWarnings("unused")
    private boolean pending;

    public IoreqVcpuEntry(int serverId, int vcpuId, int ioreqPort, ServerPage ioreqPage) {
        this.serverId = serverId;
        this.vcpuId = vcpuId;
        this.ioreqPort = ioreqPort;
        this.ioreqPage = ioreqPage;
    }

    public int serverId() {
        return serverId;
    }

    public int vcpuId() {
        return vcpuId;
    }

    /** {@code sv->ioreq_evtchn}: Xen's own copy of the port, checked against the slot on every send. */
    public int ioreqPort() {
        return ioreqPort;
    }

    /** The server's synchronous page (it may not exist yet). */
    public ServerPage ioreqPage() {
        return ioreqPage;
    }

    public boolean isPending() {
        return (boolean) PENDING.getAcquire(this);
    }

    public void setPending(boolean pending) {
        PENDING.setRelease(this, pending);
    }

    @Override
    public String toString() {
        return "entry(server " + serverId + ", vcpu " + vcpuId + ", port " + ioreqPort + (isPending() ? ", pending)" : ")");
    }
}
