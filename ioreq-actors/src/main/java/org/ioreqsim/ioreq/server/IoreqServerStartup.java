package org.ioreqsim.ioreq.server;

import akka.actor.typed.Behavior;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;
import java.util.function.Function;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.page.Page;

/**
 * QEMU's start-up of an ioreq server ({@code xen_register_ioreq}, hw/xen/xen-hvm-common.c) as a sequence
 * of states, one per hypercall in flight:
 * create -> acquire_resource -> get_ioreq_server_info (or get_ioreq_server_info with gfns, mapped by
 * gfn) -> set_ioreq_server_state(enable) -> bind every vCPU port and the bufioreq port -> map_io_range
 * for each device range -> serving. Pre-seed, on the default server: get_param IOREQ_PFN -> BUFIOREQ_PFN
 * -> BUFIOREQ_EVTCHN -> bind -> serving.
 *
 * <p>Each state takes the answer to its own hypercall (matched by sequence number) with a handler typed by
 * what that hypercall returns; every other message is handled as the serving server handles it (a
 * controller's dm_op, the buffered ring's stream). An error answer, or a frame or port that cannot be
 * mapped or bound, aborts the start: {@link EmulatorEvent.StartFailed} is reported and the emulator stops.
 */
final class IoreqServerStartup {

    private final IoreqServer server;
    private final ActorContext<IoreqServer.Command> context;
    private final EmulatorConfig config;
    private final Host host;

    IoreqServerStartup(IoreqServer server, ActorContext<IoreqServer.Command> context, EmulatorConfig config,
                       Host host) {
        this.server = server;
        this.context = context;
        this.config = config;
        this.host = host;
    }

    /** Sends the first hypercall; the state that waits for its answer. */
    Behavior<IoreqServer.Command> start() {
        if (config.defaultServer()) {
            return startOnDefaultServer();
        }
        return await(Hypercall.DmOpHypercall.of(config.targetDomid(), new DmOp.CreateIoreqServer(
                config.bufioreqMode().code())), "create", HypercallOutput.IoreqServerId.class, this::onCreated);
    }

    private Behavior<IoreqServer.Command> onCreated(HypercallOutput.IoreqServerId out) {
        server.serverId = out.id();
        return mapPages();
    }

    /**
     * Pre-seed QEMU's {@code xen_get_default_ioreq_server_info}: read IOREQ_PFN (a toolstack read while
     * the domain is being built creates the default server), BUFIOREQ_PFN and BUFIOREQ_EVTCHN, map the
     * two gfns, bind. The default server is enabled at creation and has no range sets, so nothing is
     * enabled or registered.
     */
    private Behavior<IoreqServer.Command> startOnDefaultServer() {
        server.serverId = Xen.DEFAULT_IOSERVID;
        return getParam(HvmParam.IOREQ_PFN, ioreqGfn -> getParam(HvmParam.BUFIOREQ_PFN, bufGfn ->
                getParam(HvmParam.BUFIOREQ_EVTCHN, port -> onDefaultServerParams(ioreqGfn, bufGfn, port))));
    }

    private Behavior<IoreqServer.Command> onDefaultServerParams(long ioreqGfn, long bufGfn, long port) {
        GuestMemory guest = host.guestMemory(config.targetDomid());
        Page ioreq = guest == null ? null : guest.frame(ioreqGfn);
        Page buffered = guest == null ? null : guest.frame(bufGfn);
        if (ioreq == null || buffered == null) {
            return aborted("map gfns " + Long.toHexString(ioreqGfn) + "/" + Long.toHexString(bufGfn), Errno.EINVAL);
        }
        if (!server.attachPages(ioreq, buffered, true)) {
            return mapFailed();
        }
        server.bufioreqPort = (int) port;
        return bindAndRegister();
    }

    /** One {@code HVMOP_get_param}: the state waiting for its value. */
    private Behavior<IoreqServer.Command> getParam(int index, Function<Long, Behavior<IoreqServer.Command>> next) {
        return await(new Hypercall.GetParam(config.targetDomid(), index), "get_param " + HvmParam.name(index),
                HypercallOutput.ParamValue.class, out -> next.apply(out.value()));
    }

    private Behavior<IoreqServer.Command> mapPages() {
        if (config.resourceMapping()) {
            boolean buffered = buffered();
            return await(Hypercall.AcquireResource.ioreqServer(config.targetDomid(), server.serverId,
                    buffered ? Xen.RESOURCE_FRAME_BUFIOREQ : Xen.RESOURCE_FRAME_IOREQ, buffered ? 2 : 1),
                    "acquire_resource", HypercallOutput.ResourceFrames.class, this::onResourceAcquired);
        }
        return await(Hypercall.DmOpHypercall.of(config.targetDomid(), new DmOp.GetIoreqServerInfo(server.serverId, 0)),
                "get_ioreq_server_info", HypercallOutput.IoreqServerInfo.class, this::onServerInfoWithGfns);
    }

    /** The frames of {@code XENMEM_acquire_resource}: the bufioreq page first, then the ioreq page. */
    private Behavior<IoreqServer.Command> onResourceAcquired(HypercallOutput.ResourceFrames out) {
        boolean buffered = buffered();
        List<Long> mfns = out.mfns();
        if (!server.attachPages(host.mapFrame(mfns.get(mfns.size() - 1)),
                buffered ? host.mapFrame(mfns.get(0)) : null, buffered)) {
            return mapFailed();
        }
        return await(Hypercall.DmOpHypercall.of(config.targetDomid(), new DmOp.GetIoreqServerInfo(server.serverId,
                Xen.DMOP_NO_GFNS)), "get_ioreq_server_info", HypercallOutput.IoreqServerInfo.class,
                this::onServerInfo);
    }

    /** With the pages mapped by resource: only the bufioreq port is read. */
    private Behavior<IoreqServer.Command> onServerInfo(HypercallOutput.IoreqServerInfo info) {
        server.bufioreqPort = bufioreqPort(info);
        return enable();
    }

    /** Without resource mapping: the pages are mapped by the gfns the server reported. */
    private Behavior<IoreqServer.Command> onServerInfoWithGfns(HypercallOutput.IoreqServerInfo info) {
        boolean buffered = buffered();
        GuestMemory guest = host.guestMemory(config.targetDomid());
        if (guest == null) {
            return aborted("map guest frames", Errno.ESRCH);
        }
        if (!server.attachPages(guest.frame(info.ioreqGfn()), buffered ? guest.frame(info.bufioreqGfn()) : null,
                buffered)) {
            return mapFailed();
        }
        server.bufioreqPort = bufioreqPort(info);
        return enable();
    }

    /**
     * The bufioreq port the emulator binds: the one get_info reports, read only when the emulator asked
     * for buffered I/O itself, as QEMU reads it only with {@code has_bufioreq}. The server behind the id
     * need not be the one it created: a destroy by another of the owner's processes (the toolstack in
     * dom0) frees the id, and another emulator's create takes it, with a ring this one never mapped.
     */
    private int bufioreqPort(HypercallOutput.IoreqServerInfo info) {
        return buffered() ? (int) info.bufioreqPort() : 0;
    }

    private Behavior<IoreqServer.Command> enable() {
        if (!config.enableOnStart()) {
            return bindAndRegister();
        }
        return await(Hypercall.DmOpHypercall.of(config.targetDomid(), new DmOp.SetIoreqServerState(server.serverId,
                true)), "set_ioreq_server_state", HypercallOutput.class, out -> bindAndRegister());
    }

    /** Binds every vCPU whose vp_eport is set, then the bufioreq port, then registers the ranges. */
    private Behavior<IoreqServer.Command> bindAndRegister() {
        for (int v = 0; v < Math.min(config.vcpus(), Xen.HVM_MAX_VCPUS); v++) {
            int remote = (int) server.slots.vpEport(v);
            if (remote != 0) {
                Result<Integer> r = server.bind(remote);
                if (!r.isOk()) {
                    return aborted("bind_interdomain vcpu " + v, r.errnoOrNull());
                }
                server.vcpuPorts.bind(v, r.value());
            }
        }
        if (server.bufioreqPort != 0) {
            Result<Integer> r = server.bind(server.bufioreqPort);
            if (!r.isOk()) {
                return aborted("bind_interdomain bufioreq", r.errnoOrNull());
            }
            server.bufLocalPort = r.value();
        }
        return registerRanges(config.defaultServer() ? List.of() : config.devices().registrations(), 0);
    }

    /** Maps device range {@code i}, then the next; after the last the server is started and serves. */
    private Behavior<IoreqServer.Command> registerRanges(List<DeviceMap.Registration> regs, int i) {
        if (i == regs.size()) {
            server.started();
            return server;
        }
        DeviceMap.Registration r = regs.get(i);
        return await(Hypercall.DmOpHypercall.of(config.targetDomid(), new DmOp.MapIoRangeToIoreqServer(
                server.serverId, r.type().code(), r.start(), r.end())), "map_io_range " + r.name(),
                HypercallOutput.class, out -> registerRanges(regs, i + 1));
    }

    private boolean buffered() {
        return config.bufioreqMode() != BufioreqMode.OFF;
    }

    /**
     * A frame that is gone by now (the server destroyed, the domain dead, the gfn no longer guest RAM)
     * fails the mapping (xenforeignmemory_map), and QEMU gives up.
     */
    private Behavior<IoreqServer.Command> mapFailed() {
        return aborted("map server pages", Errno.EFAULT);
    }

    /** The start is aborted: reported, and the emulator stops (its ports already bound stay bound). */
    private Behavior<IoreqServer.Command> aborted(String step, Errno errno) {
        server.startFailed(step, errno);
        return Behaviors.stopped();
    }

    /** Sends a start-up hypercall; the state that waits for its answer. */
    private <T extends HypercallOutput> Behavior<IoreqServer.Command> await(
            Hypercall call, String step, Class<T> answer, Function<T, Behavior<IoreqServer.Command>> next) {
        return new Awaiting<>(server.hypercall(call), step, answer, next);
    }

    /** Waiting for the answer to start-up hypercall {@code seq}, named {@code step} in a failure. */
    private final class Awaiting<T extends HypercallOutput> extends AbstractBehavior<IoreqServer.Command> {
        private final long seq;
        private final String step;
        private final Class<T> answer;
        private final Function<T, Behavior<IoreqServer.Command>> next;

        Awaiting(long seq, String step, Class<T> answer, Function<T, Behavior<IoreqServer.Command>> next) {
            super(context);
            this.seq = seq;
            this.step = step;
            this.answer = answer;
            this.next = next;
        }

        /**
         * The answer to this step's hypercall goes to {@link #onAnswer}, everything else to the serving
         * server; signals are not handled. Written out rather than built: ten steps per emulator, and a
         * built receive is a builder, a case array and three lambdas each time.
         */
        @Override
        public Receive<IoreqServer.Command> createReceive() {
            return new Receive<>() {
                @Override
                public Behavior<IoreqServer.Command> receiveMessage(IoreqServer.Command m) throws Exception {
                    if (m instanceof IoreqServer.Answered a && a.result().seq() == seq) {
                        return onAnswer(a);
                    }
                    return server.receive(context, m);
                }

                @Override
                public Behavior<IoreqServer.Command> receiveSignal(Signal signal) {
                    return Behaviors.unhandled();
                }
            };
        }

        private Behavior<IoreqServer.Command> onAnswer(IoreqServer.Answered m) {
            Result<HypercallOutput> r = m.result().result();
            if (!r.isOk()) {
                return aborted(step, r.errnoOrNull());
            }
            return next.apply(answer.cast(r.value()));
        }

        @Override
        public String toString() {
            return "starting: waiting for " + step + " (seq " + seq + ")";
        }
    }
}
