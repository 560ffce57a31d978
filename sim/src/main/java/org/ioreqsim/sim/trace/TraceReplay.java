package org.ioreqsim.sim.trace;

import akka.actor.typed.ActorRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.sim.SimulationException;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.exec.SimActors;
import org.ioreqsim.sim.machine.XenMachine;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * Replays one QEMU trace against one layout on a fresh actor system: Xen (seed behaviour), one HVM
 * guest with a vCPU per distinct cpu index of the trace and the layout's internal emulators, one
 * QEMU-like emulator in dom0 whose devices answer from the trace, and the {@link TraceReplayer} that
 * drives the accesses. Returns the {@link TraceReport}.
 *
 * <p>With {@code defaultServer}, Xen is the one before the seed ({@code legacyDefaultServer}) and the
 * emulator runs as pre-seed QEMU on the default server: the toolstack builds the guest paused and sets
 * the legacy gfns (params IOREQ_PFN and BUFIOREQ_PFN at libxc's special pages), the emulator's read of
 * IOREQ_PFN creates the default server (spec 13, 14), and every access no internal emulator claims
 * goes to it.
 */
public final class TraceReplay implements AutoCloseable {
    /** libxc's special pages {@code 0xFF000 - 8 + index} (spec 2, tools/libxc/xc_dom_x86.c). */

    private final QemuTrace trace;
    private final TraceLayout layout;
    private final long seed;
    private final boolean defaultServer;
    private java.util.function.LongConsumer progress = n -> { };
    private volatile boolean stopRequested;
    private final SimActors actors = new SimActors("ioreq-sim-trace");

    public TraceReplay(QemuTrace trace, TraceLayout layout, long seed) {
        this(trace, layout, seed, false);
    }

    /** @param defaultServer Xen before the seed, with QEMU on the default ioreq server */
    public TraceReplay(QemuTrace trace, TraceLayout layout, long seed, boolean defaultServer) {
        this.trace = trace;
        this.layout = layout;
        this.seed = seed;
        this.defaultServer = defaultServer;
    }

    public TraceReport run() {
        return run(null);
    }

    /**
     * Ends the replay early (from any thread, for example a shutdown hook on Ctrl-C): no further access is
     * issued, and the report covers the accesses replayed so far, marked as interrupted.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Tells {@code progress} how many accesses have completed, now and then while the replay runs. */
    public TraceReplay withProgress(java.util.function.LongConsumer p) {
        this.progress = p;
        return this;
    }

    /** Runs the replay and also records how every access ended. */
    Logged runLogged() {
        ReplayLog log = new ReplayLog(trace.accesses());
        return new Logged(run(log), log);
    }

    /** A report with the outcome of every access. */
    record Logged(TraceReport report, ReplayLog log) {
    }

    private TraceReport run(ReplayLog log) {
        Map<Integer, Integer> vcpuOfCpu = vcpuOfCpu(trace.cpus());
        int vcpus = Math.max(1, vcpuOfCpu.size());
        if (vcpus > Xen.HVM_MAX_VCPUS) {
            throw new UserInputException(trace.file() + ": " + vcpus + " distinct cpu indices, more than "
                    + Xen.HVM_MAX_VCPUS + " vCPUs (HVM_MAX_VCPUS)");
        }
        XenOptions options = defaultServer ? XenOptions.SEED.with("legacyDefaultServer", true) : XenOptions.SEED;
        Host host = new Host();
        ActorRef<HypervisorMessage> xen = XenMachine.start(actors, host, options, WorkloadFactory.IDLE).xen();
        DomainConfig guest = DomainConfig.guest("trace", vcpus, options)
                .withEmulatedVga(layout.stdvga())
                .withIntercepts(layout.intercepts())
                .withCreatePaused(defaultServer);
        Hypervisor.DomainCreated created = actors.ask(xen, r -> new Hypervisor.CreateDomain(guest, -1, r));
        if (!created.domid().isOk()) {
            throw new SimulationException("creating the guest failed: " + created.domid().describe());
        }
        int domid = created.domid().value();
        if (defaultServer) {
            setParam(xen, domid, HvmParam.IOREQ_PFN, Xen.LIBXC_IOREQ_PFN);
            setParam(xen, domid, HvmParam.BUFIOREQ_PFN, Xen.LIBXC_BUFIOREQ_PFN);
        }
        AnswerSheet sheet = new AnswerSheet();
        XenMemoryListener listener = new XenMemoryListener(layout.pci());
        ReplayEmulator devices = new ReplayEmulator(layout, sheet, listener);
        EmulatorConfig qemu = EmulatorConfig.qemu(Xen.DOM0, domid, devices.devices(), vcpus)
                .withDefaultServer(defaultServer);
        ReplayTally tally = new ReplayTally(trace.regions(), log);
        CompletableFuture<ReplayTally> done = new CompletableFuture<>();
        long start = System.nanoTime();
        actors.spawn(TraceReplayer.create(trace, vcpuOfCpu, created.domain(), qemu, host, xen.narrow(), devices,
                sheet, listener, tally, done, () -> stopRequested), "replay");
        SimActors.awaitWithProgress(done, () -> progress.accept(tally.completedAccesses()));
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Integer> mapping = new LinkedHashMap<>();
        vcpuOfCpu.forEach((cpu, v) -> mapping.put(String.valueOf(cpu), v));
        return TraceReport.of(trace, layout, seed, mapping, tally, sheet.misses(), Math.round(elapsed * 1000) / 1000.0,
                stopRequested);
    }

    /** The toolstack (dom0) sets an HVM param of the guest. */
    private void setParam(ActorRef<HypervisorMessage> xen, int domid, int index, long value) {
        HypercallResult r = actors.ask(xen, (ActorRef<HypercallResult> reply) -> new HypercallRequest(Xen.DOM0,
                new Hypercall.SetParam(domid, index, value), index, reply));
        if (!r.result().isOk()) {
            throw new SimulationException("setting " + HvmParam.name(index) + " failed: " + r.result().describe());
        }
    }

    /** cpu indices in ascending order get vCPU ids 0, 1, ... */
    static Map<Integer, Integer> vcpuOfCpu(List<Integer> cpus) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (int cpu : cpus) {
            out.put(cpu, out.size());
        }
        return out;
    }

    @Override
    public void close() {
        actors.close();
    }
}
