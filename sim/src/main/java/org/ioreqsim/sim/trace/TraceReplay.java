package org.ioreqsim.sim.trace;

import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.sim.SimActors;
import org.ioreqsim.sim.SimulationException;
import org.ioreqsim.sim.cli.UserInputException;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * Replays one QEMU trace against one layout on a fresh actor system: Xen (seed behaviour), one HVM
 * guest with a vCPU per distinct cpu index of the trace and the layout's internal emulators, one
 * QEMU-like emulator in dom0 whose devices answer from the trace, and the {@link TraceReplayer} that
 * drives the accesses. Returns the {@link TraceReport}.
 */
public final class TraceReplay implements AutoCloseable {
    private final QemuTrace trace;
    private final TraceLayout layout;
    private final long seed;
    private final SimActors actors = new SimActors("ioreq-sim-trace");

    public TraceReplay(QemuTrace trace, TraceLayout layout, long seed) {
        this.trace = trace;
        this.layout = layout;
        this.seed = seed;
    }

    public TraceReport run() {
        Map<Integer, Integer> vcpuOfCpu = vcpuOfCpu(trace.cpus());
        int vcpus = Math.max(1, vcpuOfCpu.size());
        if (vcpus > Xen.HVM_MAX_VCPUS) {
            throw new UserInputException(trace.file() + ": " + vcpus + " distinct cpu indices, more than "
                    + Xen.HVM_MAX_VCPUS + " vCPUs (HVM_MAX_VCPUS)");
        }
        Host host = new Host();
        ActorRef<HypervisorMessage> xen = actors.spawn(Hypervisor.create(host, XenOptions.SEED,
                WorkloadFactory.IDLE), "hypervisor");
        DomainConfig guest = DomainConfig.guest("trace", vcpus, XenOptions.SEED)
                .withEmulatedVga(layout.stdvga())
                .withIntercepts(layout.intercepts());
        Hypervisor.DomainCreated created = actors.ask(xen, r -> new Hypervisor.CreateDomain(guest, -1, r));
        if (!created.domid().isOk()) {
            throw new SimulationException("creating the guest failed: " + created.domid().describe());
        }
        AnswerSheet sheet = new AnswerSheet();
        XenMemoryListener listener = new XenMemoryListener(layout.pci());
        ReplayEmulator devices = new ReplayEmulator(layout, sheet, listener);
        EmulatorConfig qemu = EmulatorConfig.qemu(Xen.DOM0, created.domid().value(), devices.devices(), vcpus);
        ReplayTally tally = new ReplayTally(trace.regions());
        CompletableFuture<ReplayTally> done = new CompletableFuture<>();
        long start = System.nanoTime();
        actors.spawn(TraceReplayer.create(trace, vcpuOfCpu, created.domain(), qemu, host, xen.narrow(), devices,
                sheet, listener, tally, done), "replay");
        SimActors.await(done, Duration.ofDays(1));
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Integer> mapping = new LinkedHashMap<>();
        vcpuOfCpu.forEach((cpu, v) -> mapping.put(String.valueOf(cpu), v));
        return TraceReport.of(trace, layout, seed, mapping, tally, sheet.misses(), Math.round(elapsed * 1000) / 1000.0);
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
