package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.DmOpCall;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.EmulatorStats;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.VcpuSnapshot;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * A hypervisor with dom0 on a fresh host, and synchronous helpers over its messages, for tests that
 * play the toolstack and the emulator by hand. Every helper waits for its reply with the testkit's
 * default timeout; nothing sleeps.
 */
final class XenFixture {
    final ActorTestKit kit;
    final Host host;
    final ActorRef<HypervisorMessage> xen;
    private final Map<Integer, ActorRef<Domain.Command>> domains = new HashMap<>();
    private long seq;

    XenFixture(ActorTestKit kit, XenOptions options) {
        this(kit, options, new Host());
    }

    /** On a given host (one with a tracer, for tests of the model events). */
    XenFixture(ActorTestKit kit, XenOptions options, Host host) {
        this.kit = kit;
        this.host = host;
        this.xen = kit.spawn(Hypervisor.create(host, options, WorkloadFactory.IDLE));
    }

    XenFixture(ActorTestKit kit) {
        this(kit, XenOptions.SEED);
    }

    Hypervisor.DomainCreated create(DomainConfig cfg, int domid) {
        TestProbe<Hypervisor.DomainCreated> p = kit.createTestProbe();
        xen.tell(new Hypervisor.CreateDomain(cfg, domid, p.ref()));
        Hypervisor.DomainCreated c = p.receiveMessage();
        if (c.domid().isOk()) {
            domains.put(c.domid().value(), c.domain());
        }
        return c;
    }

    /** Creates a guest and returns its domid. */
    int guest(DomainConfig cfg) {
        Hypervisor.DomainCreated c = create(cfg, -1);
        assertTrue(c.domid().isOk(), "domain created");
        return c.domid().value();
    }

    int guest(int vcpus) {
        return guest(DomainConfig.guest("guest", vcpus, XenOptions.SEED));
    }

    ActorRef<Domain.Command> domain(int domid) {
        return domains.get(domid);
    }

    Result<HypercallOutput> call(int caller, Hypercall h) {
        TestProbe<HypercallResult> p = kit.createTestProbe();
        long s = ++seq;
        xen.tell(new HypercallRequest(caller, h, s, p.ref()));
        HypercallResult r = p.receiveMessage();
        assertEquals(s, r.seq(), "the answer echoes the sequence number");
        return r.result();
    }

    Result<HypercallOutput> dmOp(int caller, int target, DmOp op) {
        return call(caller, Hypercall.DmOpHypercall.of(target, op));
    }

    Result<HypercallOutput> dmOp(int caller, int target, DmOpCall c) {
        return call(caller, new Hypercall.DmOpHypercall(target, c));
    }

    /** create_ioreq_server from dom0, expected to succeed. */
    int createServer(int target, int mode) {
        return createServer(0, target, mode);
    }

    int createServer(int caller, int target, int mode) {
        Result<HypercallOutput> r = dmOp(caller, target, new DmOp.CreateIoreqServer(mode));
        assertTrue(r.isOk(), "create: " + r.describe());
        return ((HypercallOutput.IoreqServerId) r.value()).id();
    }

    Result<HypercallOutput> acquire(int caller, int target, int id, long frame, long nr) {
        return call(caller, Hypercall.AcquireResource.ioreqServer(target, id, frame, nr));
    }

    /** The synchronous page of a server, mapped by resource (frame 1). */
    IoreqPage ioreqPage(int caller, int target, int id) {
        Result<HypercallOutput> r = acquire(caller, target, id, 1, 1);
        assertTrue(r.isOk(), "acquire_resource: " + r.describe());
        return new IoreqPage(host.mapFrame(((HypercallOutput.ResourceFrames) r.value()).mfns().get(0)));
    }

    Result<HypercallOutput> enable(int caller, int target, int id, boolean on) {
        return dmOp(caller, target, new DmOp.SetIoreqServerState(id, on));
    }

    Result<HypercallOutput> map(int caller, int target, int id, int type, long start, long end) {
        return dmOp(caller, target, new DmOp.MapIoRangeToIoreqServer(id, type, start, end));
    }

    Result<HypercallOutput> setParam(int caller, long domid, long index, long value) {
        return call(caller, new Hypercall.SetParam(domid, index, value));
    }

    Result<HypercallOutput> getParam(int caller, long domid, long index) {
        return call(caller, new Hypercall.GetParam(domid, index));
    }

    DomainSnapshot inspect(int domid) {
        TestProbe<DomainSnapshot> p = kit.createTestProbe();
        domain(domid).tell(new Domain.Inspect(p.ref()));
        return p.receiveMessage();
    }

    ServerSnapshot server(int domid, int id) {
        return inspect(domid).servers().stream().filter(s -> s.id() == id).findFirst().orElse(null);
    }

    VcpuSnapshot vcpu(int domid, int vcpu) {
        TestProbe<VcpuSnapshot> p = kit.createTestProbe();
        domain(domid).tell(new Domain.InspectVcpu(vcpu, p.ref()));
        return p.receiveMessage();
    }

    /** Starts a guest operation; the probe receives its outcome when (if) it ends. */
    TestProbe<Outcome> start(int domid, int vcpu, GuestOp op) {
        TestProbe<Outcome> p = kit.createTestProbe();
        domain(domid).tell(new Domain.RunOnVcpu(vcpu, op, p.ref()));
        return p;
    }

    Outcome run(int domid, int vcpu, GuestOp op) {
        return start(domid, vcpu, op).receiveMessage();
    }

    Result<Long> destroyDomain(int domid) {
        TestProbe<Result<Long>> p = kit.createTestProbe();
        xen.tell(new Hypervisor.DestroyDomain(domid, p.ref()));
        return p.receiveMessage();
    }

    /**
     * An emulator played by the test: a server created, its pages mapped by resource, enabled, every
     * vCPU port bound with a probe standing in for the event-channel device, and its ranges mapped.
     */
    EmulatorProbe emulator(int emulatorDomid, int target, int vcpus, int mode) {
        int id = createServer(emulatorDomid, target, mode);
        IoreqPage page = ioreqPage(emulatorDomid, target, id);
        assertTrue(enable(emulatorDomid, target, id, true).isOk());
        return bind(emulatorDomid, target, id, page, vcpus);
    }

    EmulatorProbe bind(int emulatorDomid, int target, int id, IoreqPage page, int vcpus) {
        TestProbe<Integer> upcalls = kit.createTestProbe();
        Map<Integer, Integer> local = new HashMap<>();
        for (int v = 0; v < vcpus; v++) {
            Result<Integer> r = host.bindInterdomain(emulatorDomid, target, (int) page.vpEport(v),
                    port -> new EventChannelConsumer<>(upcalls.ref(), port));
            assertTrue(r.isOk(), "bind vcpu " + v + ": " + r.describe());
            local.put(v, r.value());
        }
        for (int v = 0; v < vcpus; v++) {
            int port = upcalls.receiveMessage();
            host.consume(emulatorDomid, port);
            host.unmask(emulatorDomid, port);
        }
        return new EmulatorProbe(this, emulatorDomid, target, id, page, local, upcalls);
    }

    /** A QEMU-like emulator in dom0 serving {@code devices}, started; returns it once Started. */
    Qemu qemu(int target, int vcpus, DeviceMap devices) {
        return qemu(EmulatorConfig.qemu(0, target, devices, vcpus));
    }

    Qemu qemu(EmulatorConfig config) {
        TestProbe<EmulatorEvent> events = kit.createTestProbe();
        ActorRef<IoreqServer.Command> ref = kit.spawn(IoreqServer.create(config, host, xen.narrow(), events.ref()));
        ref.tell(IoreqServer.Start.INSTANCE);
        EmulatorEvent.Started s = events.expectMessageClass(EmulatorEvent.Started.class);
        return new Qemu(this, ref, s.serverId(), events);
    }

    /** A started QEMU-like emulator. */
    record Qemu(XenFixture xen, ActorRef<IoreqServer.Command> ref, int id, TestProbe<EmulatorEvent> events) {
        Result<HypercallOutput> setEnabled(boolean on) {
            TestProbe<Result<HypercallOutput>> p = xen.kit.createTestProbe();
            ref.tell(new IoreqServer.SetEnabled(on, p.ref()));
            return p.receiveMessage();
        }

        Result<HypercallOutput> destroy() {
            TestProbe<Result<HypercallOutput>> p = xen.kit.createTestProbe();
            ref.tell(new IoreqServer.Destroy(p.ref()));
            return p.receiveMessage();
        }

        EmulatorStats stats() {
            TestProbe<EmulatorStats> p = xen.kit.createTestProbe();
            ref.tell(new IoreqServer.GetStats(p.ref()));
            return p.receiveMessage();
        }
    }

    /** The test's emulator: answers requests by hand through the shared page and event channel. */
    record EmulatorProbe(XenFixture xen, int domid, int target, int id, IoreqPage page,
                         Map<Integer, Integer> localPorts, TestProbe<Integer> upcalls) {

        /** Answers vCPU {@code v}'s request as QEMU does: data, IORESP_READY, send. */
        void respond(int v, long data) {
            page.setData(v, data);
            page.setState(v, IoreqState.IORESP_READY);
            assertTrue(xen.host.send(domid, localPorts.get(v)).isOk());
        }

        /** Consumes upcalls until one for vCPU {@code v}'s port arrives (binding raises one each). */
        void awaitRequest(int v) {
            int port = localPorts.get(v);
            while (true) {
                int got = upcalls.receiveMessage();
                xen.host.consume(domid, got);
                xen.host.unmask(domid, got);
                if (got == port && page.state(v) == IoreqState.READY) {
                    return;
                }
            }
        }

        /** Binds the port of a vCPU added later (QEMU with vCPU hotplug would). */
        EmulatorProbe bindVcpu(int v) {
            Result<Integer> r = xen.host.bindInterdomain(domid, target, (int) page.vpEport(v),
                    port -> new EventChannelConsumer<>(upcalls.ref(), port));
            assertTrue(r.isOk(), "bind vcpu " + v + ": " + r.describe());
            int port = upcalls.receiveMessage();
            xen.host.consume(domid, port);
            xen.host.unmask(domid, port);
            Map<Integer, Integer> ports = new HashMap<>(localPorts);
            ports.put(v, r.value());
            return new EmulatorProbe(xen, domid, target, id, page, ports, upcalls);
        }

        Result<HypercallOutput> map(int type, long start, long end) {
            return xen.map(domid, target, id, type, start, end);
        }

        List<Integer> ports() {
            return List.copyOf(localPorts.values());
        }
    }
}
