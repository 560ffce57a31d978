package org.ioreqsim.vcpu;

import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.page.ServerPage;

/**
 * Hand-played ioreq servers for one vCPU: the entry and synchronous page a server gives it, the
 * domain's half of a send and the emulator's answer, done directly on the shared state.
 */
final class TestServers {
    private TestServers() {
    }

    /** Event-channel port of a vCPU's entry on server {@code id}. */
    static int port(int id) {
        return 40 + id;
    }

    /**
     * Server {@code id}'s entry for {@code vcpu} with a resource-mapped synchronous page, enabled: the
     * slot's {@code vp_eport} is the entry's port (spec 11.3, enable step 3).
     */
    static IoreqVcpuEntry entry(MachineMemory memory, int id, int vcpu) {
        ServerPage page = new ServerPage();
        page.set(memory.allocate(1), Xen.INVALID_GFN);
        page.ioreqPage().setVpEport(vcpu, port(id));
        return new IoreqVcpuEntry(id, vcpu, port(id), page);
    }

    static IoreqPage slots(IoreqVcpuEntry e) {
        return e.ioreqPage().ioreqPage();
    }

    /**
     * The domain's part of {@code hvm_send_ioreq} (spec 7.1 steps 2 and 5-9, as {@code IoreqRouting.send}
     * does it): start shutdown deferral, mark the entry pending and the vCPU sent-to-server, publish
     * the request READY with the entry's port.
     */
    static void send(VcpuIo io, IoreqVcpuEntry e, Ioreq p) {
        io.startShutdownDeferral();
        e.setPending(true);
        io.markSentToServer();
        slots(e).store(e.vcpuId(), p.withPortAndState(e.ioreqPort(), IoreqState.READY));
    }

    /** The emulator's answer (spec 7.2 steps 2, 4 and 6, without the send): INPROCESS, data, IORESP_READY. */
    static void respond(IoreqVcpuEntry e, long data) {
        IoreqPage s = slots(e);
        s.setState(e.vcpuId(), IoreqState.INPROCESS);
        s.setData(e.vcpuId(), data);
        s.setState(e.vcpuId(), IoreqState.IORESP_READY);
    }
}
