package org.ioreqsim.sim.machine;

import akka.actor.typed.ActorRef;
import java.util.HashMap;
import java.util.Map;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.domain.ServerSelector;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.sim.exec.Spawner;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * One Xen machine, built the same way whatever drives it (a run, a trace replay, a script, a stress
 * world, a testkit testbed): the host's shared state, the hypervisor actor (which owns dom0 and creates
 * the guests), and the device-model emulators started against it, all under one naming scheme:
 * the hypervisor is {@value #HYPERVISOR}, the n-th emulator started for guest d is {@code qemu-d-n}.
 *
 * <p>A machine is used from one thread, or from the one actor whose context spawns its actors.
 */
public final class XenMachine {
    /** The hypervisor actor's name. */
    public static final String HYPERVISOR = "xen";

    private final Spawner spawner;
    private final Host host;
    private final ActorRef<HypervisorMessage> xen;
    private final Map<Integer, Integer> emulatorsStarted = new HashMap<>();

    private XenMachine(Spawner spawner, Host host, ActorRef<HypervisorMessage> xen) {
        this.spawner = spawner;
        this.host = host;
        this.xen = xen;
    }

    /**
     * Starts a machine on {@code spawner}: the hypervisor of Xen {@code options} on {@code host}, whose
     * guests' vCPUs run {@code workloads} and select servers with {@code selector} (null: Xen's own).
     */
    public static XenMachine start(Spawner spawner, Host host, XenOptions options, WorkloadFactory workloads,
                                   ServerSelector selector) {
        return new XenMachine(spawner, host, spawner.spawn(Hypervisor.create(host, options, workloads, selector),
                HYPERVISOR));
    }

    /** As {@link #start(Spawner, Host, XenOptions, WorkloadFactory, ServerSelector)}, with Xen's selection. */
    public static XenMachine start(Spawner spawner, Host host, XenOptions options, WorkloadFactory workloads) {
        return start(spawner, host, options, workloads, null);
    }

    /** The name of the {@code n}-th emulator (from 0) started for guest {@code targetDomid}. */
    public static String emulatorName(int targetDomid, int n) {
        return "qemu-" + targetDomid + "-" + n;
    }

    public Host host() {
        return host;
    }

    public ActorRef<HypervisorMessage> xen() {
        return xen;
    }

    /**
     * Spawns (does not start) a QEMU-like emulator for {@code config}'s target, reporting its life to
     * {@code events}, named by the scheme above. Send it {@link IoreqServer.Start} to make its hypercalls.
     */
    public ActorRef<IoreqServer.Command> spawnEmulator(EmulatorConfig config, ActorRef<EmulatorEvent> events) {
        return spawnEmulator(spawner, host, xen.narrow(), config, events, nextEmulator(config.targetDomid()));
    }

    /**
     * Spawns an emulator on another spawner (an actor that owns it as a child, such as a stress lane),
     * numbered {@code n} among its guest's emulators.
     */
    public static ActorRef<IoreqServer.Command> spawnEmulator(Spawner spawner, Host host,
                                                              ActorRef<HypercallRequest> xen,
                                                              EmulatorConfig config, ActorRef<EmulatorEvent> events,
                                                              int n) {
        return spawner.spawn(IoreqServer.create(config, host, xen, events),
                emulatorName(config.targetDomid(), n));
    }

    private int nextEmulator(int targetDomid) {
        return emulatorsStarted.merge(targetDomid, 1, Integer::sum) - 1;
    }
}
