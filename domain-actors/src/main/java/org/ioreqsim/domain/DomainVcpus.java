package org.ioreqsim.domain;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.DomainMessage;
import org.ioreqsim.vcpu.Vcpu;
import org.ioreqsim.vcpu.VcpuIo;
import org.ioreqsim.vcpu.VcpuState;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * A domain's vCPUs ({@code d->vcpu[]}): the live vCPUs by id, the handles the server table reads
 * (kept sorted by id, one list shared with {@link IoreqServers}), and what became of retired ids. A
 * vCPU's handle is its {@link VcpuIo}, which also holds its actor (one object per vCPU, not three).
 * {@link #initialise} and {@link #destroy} are {@code hvm_vcpu_initialise} and {@code hvm_vcpu_destroy};
 * both run with the domain paused.
 */
final class DomainVcpus {

    private final ActorContext<DomainMessage> context;
    private final int domid;
    private final DomainConfig config;
    private final WorkloadFactory workloads;
    private final ModelTracer tracer;
    private final List<Route> serverRoutes;
    private final GuestMemory memory;
    private final List<VcpuIo> handles = new ArrayList<>();
    private final IdTable<VcpuIo> slots = new IdTable<>();
    private final Map<Integer, VcpuState> retired = new TreeMap<>();
    /** {@code vcpu-<id>} for every id, shared by every domain (a name per vCPU cost 48 bytes and a hash). */
    private static final String[] NAMES = new String[Xen.HVM_MAX_VCPUS];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAMES[i] = ("vcpu-" + i).intern();
        }
    }

    /** How often each vCPU id was spawned, by id (an array: a map entry per vCPU would cost 40 bytes). */
    private int[] incarnations = new int[0];

    DomainVcpus(ActorContext<DomainMessage> context, int domid, DomainConfig config, WorkloadFactory workloads,
                ModelTracer tracer, List<Route> serverRoutes, GuestMemory memory) {
        this.context = context;
        this.memory = memory;
        this.domid = domid;
        this.config = config;
        this.workloads = workloads;
        this.tracer = tracer;
        this.serverRoutes = serverRoutes;
    }

    /** The handles by id, as the server table walks them (the list itself, kept up to date). */
    List<VcpuIo> handles() {
        return handles;
    }

    VcpuIo get(int id) {
        return slots.get(id);
    }

    List<VcpuIo> values() {
        return slots.values();
    }

    List<Integer> keys() {
        return slots.keys();
    }

    /** What a vCPU that is not running is: OFFLINE, or CRASHED when its failure crashed the domain. */
    VcpuState retiredState(int id) {
        return retired.getOrDefault(id, VcpuState.OFFLINE);
    }

    void tellAll(Vcpu.Command c) {
        slots.values().forEach(v -> v.vcpu().tell(c));
    }

    /**
     * {@code hvm_vcpu_initialise}: the lowest unused vCPU id, added to every server (7..0). A vCPU whose
     * failure crashed the domain still exists in Xen (domain_crash deschedules, it destroys nothing), with
     * its entries and ports, so its id is not free. The new vCPU is handed to {@code hold}, the pause it starts in.
     */
    Result<Integer> initialise(IoreqServers servers, boolean dying, Consumer<VcpuIo> hold) {
        int id = 0;
        while (slots.containsKey(id) || retired.get(id) == VcpuState.CRASHED) {
            id++;
        }
        if (id >= Xen.HVM_MAX_VCPUS || dying) {
            return Result.err(Errno.EINVAL);
        }
        VcpuIo v = spawn(id);
        Result<Long> rc = servers.addVcpuToAll(v);
        if (!rc.isOk()) {
            slots.remove(id);
            handles.remove(v);
            context.stop(v.vcpu());
            return Result.err(rc.errnoOrNull());
        }
        hold.accept(v);
        return Result.ok(id);
    }

    /**
     * {@code hvm_vcpu_destroy}: remove the vCPU from every server, then stop it (at once: a destroyed vCPU
     * does not handle events already queued for it).
     */
    Result<Integer> destroy(IoreqServers servers, int vcpuId) {
        VcpuIo v = slots.remove(vcpuId);
        if (v == null) {
            return Result.err(Errno.ENOENT);
        }
        servers.removeVcpuFromAll(v);
        handles.remove(v);
        retired.put(vcpuId, VcpuState.OFFLINE);
        context.stop(v.vcpu());
        return Result.ok(vcpuId);
    }

    /**
     * {@code domain_kill}: every vCPU actor is stopped rather than told, so that nothing already queued for
     * it (an emulator's wake-up) runs guest code again. They stay listed until {@link #clear}.
     */
    void stopAll() {
        for (VcpuIo v : slots.values()) {
            context.stop(v.vcpu());
            retired.put(v.vcpuId(), VcpuState.OFFLINE);
        }
    }

    /** Forgets the stopped vCPUs (the end of {@code domain_kill}). */
    void clear() {
        slots.clear();
    }

    /** A vCPU actor failed: forget it, its id stays taken (CRASHED). Returns its id, or null if unknown. */
    Integer failed(ActorRef<?> ref) {
        Integer id = null;
        for (VcpuIo v : slots.values()) {
            if (v.vcpu().path().equals(ref.path())) {
                id = v.vcpuId();
                break;
            }
        }
        if (id != null) {
            int vcpuId = id;
            slots.remove(vcpuId);
            handles.removeIf(h -> h.vcpuId() == vcpuId);
            retired.put(vcpuId, VcpuState.CRASHED);
        }
        return id;
    }

    /**
     * Spawns vCPU {@code id}: {@code vcpu-<id>}, or {@code vcpu-<id>-<n>} for its n-th re-creation, since
     * a removed vCPU's actor may still be stopping (Akka keeps its name reserved until then).
     */
    VcpuIo spawn(int id) {
        VcpuIo io = new VcpuIo(domid, id, tracer, memory);
        if (id >= incarnations.length) {
            incarnations = Arrays.copyOf(incarnations, Math.max(id + 1, Math.min(2 * incarnations.length,
                    Xen.HVM_MAX_VCPUS)));
        }
        int incarnation = incarnations[id]++;
        ActorRef<Vcpu.Command> ref = context.spawn(Vcpu.create(domid, io, context.getSelf().narrow(),
                workloads.create(domid, id), config.options(), serverRoutes),
                incarnation == 0 ? NAMES[id] : NAMES[id] + "-" + incarnation);
        io.attach(ref);
        slots.put(id, io);
        int at = handles.size();
        while (at > 0 && handles.get(at - 1).vcpuId() > id) {
            at--;
        }
        handles.add(at, io);
        retired.remove(id);
        return io;
    }
}
