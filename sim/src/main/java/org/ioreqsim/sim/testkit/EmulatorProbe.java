package org.ioreqsim.sim.testkit;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.sim.stress.Monitor;

/**
 * A probe standing in for an emulator (a device model) in a {@link Testbed}: an actor in the emulator's
 * domain that makes the hypercalls the test asks for, maps the server's page, binds vCPU ports, records
 * the upcalls it receives, and takes and answers requests only when told. Everything it does is a step
 * of its own actor, so the monitors see it as an emulator.
 */
public final class EmulatorProbe {

    /** The probe actor's protocol. */
    sealed interface Msg {
    }

    private record Call(Hypercall call, Pending<Result<HypercallOutput>> pending) implements Msg {
    }

    private record Answer(HypercallResult result) implements Msg {
    }

    private record Bind(int vcpu, Pending<Result<Integer>> pending) implements Msg {
    }

    private record Upcall(int port) implements Msg {
    }

    private record Take(int vcpu, Pending<Result<Ioreq>> pending) implements Msg {
    }

    private record Respond(int vcpu, long data, Pending<Result<Ioreq>> pending) implements Msg {
    }

    private enum Crash implements Msg {
        INSTANCE
    }

    private final Testbed testbed;
    private final String name;
    private final int target;
    private final int domid;
    private final Host host;
    private final Monitor monitor;
    private final Map<Long, Pending<Result<HypercallOutput>>> calls = new HashMap<>();
    private final Map<Integer, Integer> portByVcpu = new TreeMap<>();
    private final Map<Integer, Integer> vcpuByPort = new TreeMap<>();
    private final List<Integer> upcalls = new ArrayList<>();
    private final TreeSet<Integer> pending = new TreeSet<>();
    private ActorRef<Msg> actor;
    private IoreqPage page;
    private long seq;

    EmulatorProbe(Testbed testbed, String name, int target, int domid, Host host, Monitor monitor) {
        this.testbed = testbed;
        this.name = name;
        this.target = target;
        this.domid = domid;
        this.host = host;
        this.monitor = monitor;
    }

    void attach(ActorRef<Msg> ref) {
        this.actor = ref;
    }

    Behavior<Msg> behavior(ActorRef<HypervisorMessage> xen) {
        return Behaviors.setup(ctx -> {
            ActorRef<HypercallResult> answers = ctx.messageAdapter(HypercallResult.class, Answer::new);
            return Behaviors.receive(Msg.class)
                    .onMessage(Call.class, m -> {
                        calls.put(++seq, m.pending());
                        xen.tell(new HypercallRequest(domid, m.call(), seq, answers));
                        return Behaviors.same();
                    })
                    .onMessage(Answer.class, m -> {
                        Pending<Result<HypercallOutput>> p = calls.remove(m.result().seq());
                        if (p != null) {
                            p.complete(m.result().result());
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Bind.class, m -> {
                        m.pending().complete(bind(ctx.getSelf(), m.vcpu()));
                        return Behaviors.same();
                    })
                    .onMessage(Upcall.class, m -> {
                        host.consume(domid, m.port());
                        host.unmask(domid, m.port());
                        upcalls.add(m.port());
                        Integer v = vcpuByPort.get(m.port());
                        if (v != null && page != null && page.state(v) == IoreqState.READY) {
                            pending.add(v);
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Take.class, m -> {
                        boolean ok = page != null && page.compareAndSetState(m.vcpu(), IoreqState.READY,
                                IoreqState.INPROCESS);
                        pending.remove(m.vcpu());
                        m.pending().complete(ok ? Result.ok(page.load(m.vcpu())) : Result.err(Errno.EINVAL));
                        return Behaviors.same();
                    })
                    .onMessage(Respond.class, m -> {
                        m.pending().complete(doRespond(m.vcpu(), m.data()));
                        return Behaviors.same();
                    })
                    .onMessage(Crash.class, m -> {
                        for (int port : portByVcpu.values()) {
                            host.close(domid, port);
                        }
                        portByVcpu.clear();
                        vcpuByPort.clear();
                        monitor.emulatorGone(key(), "probe crashed");
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }

    private String key() {
        return name;
    }

    /** The probe's domain. */
    public int domid() {
        return domid;
    }

    /** Any hypercall, made by the probe's domain. */
    public Pending<Result<HypercallOutput>> hypercall(Hypercall h) {
        Pending<Result<HypercallOutput>> p = new Pending<>(testbed, name + " " + h);
        actor.tell(new Call(h, p));
        return p;
    }

    /** A dm_op on the probe's target. */
    public Pending<Result<HypercallOutput>> dmOp(DmOp op) {
        return hypercall(Hypercall.DmOpHypercall.of(target, op));
    }

    /** create_ioreq_server; the answer is the new server's id. */
    public Pending<Result<Integer>> createServer(BufioreqMode mode) {
        Pending<Result<Integer>> p = new Pending<>(testbed, name + " create");
        Pending<Result<HypercallOutput>> call = dmOp(new DmOp.CreateIoreqServer(mode.code()));
        call.onComplete(r -> {
            Result<Integer> id = r.map(o -> ((HypercallOutput.IoreqServerId) o).id());
            if (id.isOk()) {
                monitor.emulatorStarted(key(), target, id.value());
            }
            p.complete(id);
        });
        return p;
    }

    /** acquire_resource of the server's synchronous page, which the probe then maps. */
    public Pending<Result<HypercallOutput>> acquirePages(int id) {
        Pending<Result<HypercallOutput>> call = hypercall(Hypercall.AcquireResource.ioreqServer(target, id,
                Xen.RESOURCE_FRAME_IOREQ, 1));
        Pending<Result<HypercallOutput>> p = new Pending<>(testbed, name + " acquire pages of server " + id);
        call.onComplete(r -> {
            if (r.isOk()) {
                List<Long> mfns = ((HypercallOutput.ResourceFrames) r.value()).mfns();
                page = new IoreqPage(host.mapFrame(mfns.get(0)));
            }
            p.complete(r);
        });
        return p;
    }

    public Pending<Result<HypercallOutput>> setState(int id, boolean enabled) {
        return dmOp(new DmOp.SetIoreqServerState(id, enabled));
    }

    public Pending<Result<HypercallOutput>> map(int id, RangeType type, long start, long end) {
        return dmOp(new DmOp.MapIoRangeToIoreqServer(id, type.code(), start, end));
    }

    public Pending<Result<HypercallOutput>> unmap(int id, RangeType type, long start, long end) {
        return dmOp(new DmOp.UnmapIoRangeFromIoreqServer(id, type.code(), start, end));
    }

    public Pending<Result<HypercallOutput>> destroy(int id) {
        return dmOp(new DmOp.DestroyIoreqServer(id));
    }

    /** Binds vCPU {@code vcpu}'s port (read from the mapped page's vp_eport, as QEMU does after enabling). */
    public Pending<Result<Integer>> bind(int vcpu) {
        Pending<Result<Integer>> p = new Pending<>(testbed, name + " bind vCPU " + vcpu);
        actor.tell(new Bind(vcpu, p));
        return p;
    }

    private Result<Integer> bind(ActorRef<Msg> self, int vcpu) {
        int remote = page == null ? 0 : (int) page.vpEport(vcpu);
        if (remote == 0) {
            return Result.err(Errno.EINVAL);
        }
        Result<Integer> r = host.bindInterdomain(domid, target, remote,
                local -> new EventChannelConsumer<>(self, new Upcall(local)));
        if (r.isOk()) {
            portByVcpu.put(vcpu, r.value());
            vcpuByPort.put(r.value(), vcpu);
        }
        return r;
    }

    /** READY to INPROCESS on vCPU {@code vcpu}'s slot; the request, or EINVAL if it was not READY. */
    public Pending<Result<Ioreq>> take(int vcpu) {
        Pending<Result<Ioreq>> p = new Pending<>(testbed, name + " take vCPU " + vcpu);
        actor.tell(new Take(vcpu, p));
        return p;
    }

    /** Writes a read's answer, sets IORESP_READY and sends on the vCPU's port (QEMU's answer). */
    public Pending<Result<Ioreq>> respond(int vcpu, long data) {
        Pending<Result<Ioreq>> p = new Pending<>(testbed, name + " respond vCPU " + vcpu);
        actor.tell(new Respond(vcpu, data, p));
        return p;
    }

    private Result<Ioreq> doRespond(int vcpu, long data) {
        if (page == null) {
            return Result.err(Errno.ENOENT);
        }
        Ioreq req = page.load(vcpu);
        if (req.isRead() && !req.dataIsPtr()) {
            page.setData(vcpu, data);
        }
        page.setState(vcpu, IoreqState.IORESP_READY);
        monitor.answered(key(), vcpu, data);
        Integer port = portByVcpu.get(vcpu);
        if (port != null) {
            host.send(domid, port);
        }
        return Result.ok(page.load(vcpu));
    }

    /** The probe dies: its ports close (Xen's ends become UNBOUND); the server stays. */
    public void crash() {
        actor.tell(Crash.INSTANCE);
    }

    /** Local ports that have fired, in order. */
    public List<Integer> upcalls() {
        return List.copyOf(upcalls);
    }

    /** vCPUs whose slot was READY at their last upcall and that the probe has not taken yet. */
    public TreeSet<Integer> pendingRequests() {
        return new TreeSet<>(pending);
    }
}
