package org.ioreqsim.vcpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.page.Page;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;

/**
 * A vCPU's emulation state in Xen ({@code struct hvm_vcpu_io}) together with its entries on every
 * server, and the parts of {@code hvmemul_do_io} and {@code handle_hvm_io_completion} that run on the
 * vCPU itself.
 *
 * <p>Ownership follows Xen: the vCPU owns this state, except that while it waits for its domain to
 * route a request the domain ("Xen running on the vCPU's behalf") may update the latched count, mark
 * entries pending and record that the request went to a server. The hand-over is the EmulateIo
 * message one way and the domain's reply or an emulator's wake-up the other way, so every write
 * happens-before the read that needs it.
 */
public final class VcpuIo {
    /** What {@link #begin} decided. */
    public sealed interface Start {
    }

    /** Hand this latched request to the domain. */
    public record Send(Ioreq request) implements Start {
    }

    /** The access was the re-execution of a completed one: its latched data. */
    public record Reexecuted(long data, long reps) implements Start {
    }

    /** Emulation failure before anything was sent (UNHANDLEABLE). */
    public record Refused(String reason) implements Start {
    }

    /** {@link #start}: hand {@link #latched()} to the domain (a {@link Send}). */
    static final int SEND = 0;
    /** {@link #start}: a re-execution consumed the answer, {@link #latchedData()} (a {@link Reexecuted}). */
    static final int REEXECUTED = 1;
    /** {@link #start}: refused before anything was sent (a {@link Refused}). */
    static final int REFUSED = 2;

    /** Result of running completion once. */
    public enum Step {
        /** Some server still has the request: the vCPU stays blocked in Xen. */
        WAIT,
        /** Every pending entry completed (or none was left). */
        DONE
    }

    /** No guest RAM: every frame unpopulated (reads all ones, writes dropped). */
    public static final GuestMemory NO_MEMORY = new GuestMemory() {
        @Override
        public boolean isPopulated(long gpa) {
            return false;
        }

        @Override
        public long read(long gpa, int size) {
            return size >= 8 ? ~0L : (1L << (8 * size)) - 1;
        }

        @Override
        public void write(long gpa, int size, long value) {
        }

        @Override
        public Page frame(long gfn) {
            return null;
        }
    };

    private final int domid;
    private final int vcpuId;
    private final ModelTracer tracer;
    private final GuestMemory memory;
    /**
     * The vCPU's entries on servers: {@code null} (none), one {@link IoreqVcpuEntry} held directly (the
     * common case, a guest with one server: its {@link IoreqVcpuEntry#serverId()} says which; an array
     * for it cost every vCPU 24 bytes), or, once the vCPU has entries on two servers, an
     * {@code IoreqVcpuEntry[]} by server id up to the highest id it has had an entry on, whose elements
     * are read and written volatile through ENTRY. Replaced only by the domain and published with a
     * release store; read with an acquire load.
     */
    @SuppressWarnings("unused")
    private Object entries;
    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(IoreqVcpuEntry[].class);
    private static final VarHandle ENTRIES;
    private static final VarHandle IO_REQ;
    private static final VarHandle IO_REQ_STATE;
    private static final VarHandle SENT_TO_SERVER;
    private static final VarHandle SHUTDOWN_DEFERRED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            IO_REQ = l.findVarHandle(VcpuIo.class, "ioReq", Ioreq.class);
            IO_REQ_STATE = l.findVarHandle(VcpuIo.class, "ioReqState", int.class);
            ENTRIES = l.findVarHandle(VcpuIo.class, "entries", Object.class);
            SENT_TO_SERVER = l.findVarHandle(VcpuIo.class, "sentToServer", boolean.class);
            SHUTDOWN_DEFERRED = l.findVarHandle(VcpuIo.class, "shutdownDeferred", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /*
     * Written by the vCPU and, while the vCPU waits for it, by its domain; read across actors by
     * snapshots. Messages order the hand-over; the fields need only release writes and acquire reads
     * (a volatile write's full fence bought nothing), through the accessors below.
     *
     * The latched request ({@code vio->io_req}) is ioReq with its state and data replaced by ioReqState
     * and ioReqData: ioReq is the immutable request begin built and sent to the domain, the two fields
     * are what changes while it is latched (the answer, NONE once consumed), so latching an answer and
     * consuming it allocate nothing. ioReqData is written before the release store of ioReqState and
     * read after its acquire load.
     */
    @SuppressWarnings("unused")
    private Ioreq ioReq = Ioreq.ZERO;
    @SuppressWarnings("unused")
    private int ioReqState = Ioreq.ZERO.state();
    private long ioReqData = Ioreq.ZERO.data();
    @SuppressWarnings("unused")
    private boolean sentToServer;
    @SuppressWarnings("unused")
    private boolean shutdownDeferred;
    /**
     * The io_completion as its ordinal and the last answering server id (-1 to 7) as bytes: with the
     * latched state and data in fields of their own, this keeps the object at 56 bytes per vCPU.
     */
    private byte ioCompletion = (byte) IoCompletion.NONE.ordinal();
    private byte lastAnsweredServer = -1;
    private static final IoCompletion[] COMPLETIONS = IoCompletion.values();
    /**
     * The vCPU's actor, for its domain: this object is also the domain's handle on the vCPU
     * ({@code d->vcpu[i]}), one object per vCPU less than a handle of its own. Domain-side only.
     */
    private akka.actor.typed.ActorRef<Vcpu.Command> vcpu;

    public VcpuIo(int vcpuId) {
        this(-1, vcpuId, ModelTracer.NONE);
    }

    public VcpuIo(int domid, int vcpuId, ModelTracer tracer) {
        this(domid, vcpuId, tracer, NO_MEMORY);
    }

    /** @param memory the domain's guest memory, as the instruction emulator reads and writes it */
    public VcpuIo(int domid, int vcpuId, ModelTracer tracer, GuestMemory memory) {
        this.domid = domid;
        this.vcpuId = vcpuId;
        this.tracer = tracer;
        this.memory = memory;
    }

    /** The guest memory x86_emulate reads and writes for this vCPU (a rep instruction's last rep). */
    public GuestMemory memory() {
        return memory;
    }

    private int state() {
        return (int) IO_REQ_STATE.getAcquire(this);
    }

    private Ioreq req() {
        return (Ioreq) IO_REQ.getAcquire(this);
    }

    /** Latches {@code p} as it is (its own state and data). */
    private void latch(Ioreq p) {
        IO_REQ.setRelease(this, p);
        ioReqData = p.data();
        IO_REQ_STATE.setRelease(this, p.state());
    }

    /** Moves the latched request's state. */
    private void latchState(int state) {
        IO_REQ_STATE.setRelease(this, state);
    }

    /** Latches an answer and moves the state. */
    private void latchAnswer(long data, int state) {
        ioReqData = data;
        IO_REQ_STATE.setRelease(this, state);
    }

    /** {@code hvm_ioreq_needs_completion} of the latched request. */
    private boolean latchedNeedsCompletion(int state) {
        return state == IoreqState.READY && req().completesByReexecution();
    }

    public int domid() {
        return domid;
    }

    /** Where this vCPU's model events go. */
    public ModelTracer tracer() {
        return tracer;
    }

    public int vcpuId() {
        return vcpuId;
    }

    /** Domain side: the vCPU's actor, once spawned. */
    public void attach(akka.actor.typed.ActorRef<Vcpu.Command> actor) {
        this.vcpu = actor;
    }

    /** Domain side: the vCPU's actor. */
    public akka.actor.typed.ActorRef<Vcpu.Command> vcpu() {
        return vcpu;
    }

    /**
     * The latched request ({@code vio->io_req}): the request as sent while its state and data are those
     * it was sent with, otherwise a copy with the latched ones.
     */
    public Ioreq latched() {
        int state = state();
        Ioreq p = req();
        long data = ioReqData;
        return p.state() == state && p.data() == data ? p
                : new Ioreq(p.addr(), data, p.count(), p.size(), p.vpEport(), state, p.dataIsPtr(), p.dir(), p.df(),
                        p.type());
    }

    /** The latched request's count ({@code vio->io_req.count}), without copying the request. */
    public long latchedCount() {
        return req().count();
    }

    /** The latched request's data (a re-execution's answer), without copying the request. */
    public long latchedData() {
        return ioReqData;
    }

    /** Domain side: {@code *reps = vio->io_req.count = p.count} after the intercepts ran. */
    public void setLatchedCount(long count) {
        latch(latched().withCount(count));
    }

    /** Domain side: the request was handled without a server ({@code vio->io_req.state = NONE}). */
    public void clearLatched() {
        latchState(IoreqState.NONE);
    }

    /** The entry on server {@code id}, or {@code null}. */
    public IoreqVcpuEntry entry(int id) {
        return entryAt(id);
    }

    /** Domain side: installs or frees ({@code null}) this vCPU's entry on server {@code id}. */
    public void setEntry(int id, IoreqVcpuEntry entry) {
        if (entry != null && entry.serverId() != id) {
            throw new IllegalArgumentException("entry on server " + entry.serverId() + " set as server " + id + "'s");
        }
        Object held = ENTRIES.getAcquire(this);
        if (held instanceof IoreqVcpuEntry[] e) {
            if (id < e.length) {
                ENTRY.setVolatile(e, id, entry);
            } else if (entry != null) {
                e = java.util.Arrays.copyOf(e, id + 1);
                ENTRY.setVolatile(e, id, entry);
                ENTRIES.setRelease(this, e);
            }
        } else if (held == null || ((IoreqVcpuEntry) held).serverId() == id) {
            ENTRIES.setRelease(this, entry);
        } else if (entry != null) {
            // a second server: from now on an array by server id
            IoreqVcpuEntry one = (IoreqVcpuEntry) held;
            IoreqVcpuEntry[] e = new IoreqVcpuEntry[Math.max(id, one.serverId()) + 1];
            e[one.serverId()] = one;
            e[id] = entry;
            ENTRIES.setRelease(this, e);
        }
    }

    private IoreqVcpuEntry entryAt(int id) {
        Object held = ENTRIES.getAcquire(this);
        if (held instanceof IoreqVcpuEntry one) {
            return one.serverId() == id ? one : null;
        }
        if (held == null) {
            return null;
        }
        IoreqVcpuEntry[] e = (IoreqVcpuEntry[]) held;
        return id < e.length ? (IoreqVcpuEntry) ENTRY.getVolatile(e, id) : null;
    }

    /** Domain side: the request was sent to at least one server; the vCPU must wait to be woken. */
    public void markSentToServer() {
        SENT_TO_SERVER.setRelease(this, true);
    }

    public boolean isSentToServer() {
        return (boolean) SENT_TO_SERVER.getAcquire(this);
    }

    /** Domain side: {@code vcpu_start_shutdown_deferral}. */
    public void startShutdownDeferral() {
        SHUTDOWN_DEFERRED.setRelease(this, true);
    }

    public boolean isDeferringShutdown() {
        return (boolean) SHUTDOWN_DEFERRED.getAcquire(this);
    }

    /** The ids of servers with a pending entry for this vCPU, highest first. */
    public int[] pendingServers() {
        int n = 0;
        int[] ids = new int[Xen.MAX_NR_IOREQ_SERVERS];
        for (int id = Xen.MAX_NR_IOREQ_SERVERS - 1; id >= 0; id--) {
            IoreqVcpuEntry e = entryAt(id);
            if (e != null && e.isPending()) {
                ids[n++] = id;
            }
        }
        return java.util.Arrays.copyOf(ids, n);
    }

    /**
     * Steps 1 to 5 of {@code hvmemul_do_io}: size check, latched-state check (a re-execution consumes
     * the latched answer), build the request, truncate rep MMIO at the 4 KiB frame, latch it.
     */
    public Start begin(GuestOp.Io io) {
        return switch (start(io)) {
            case SEND -> new Send(req());
            case REEXECUTED -> new Reexecuted(latchedData(), latchedCount());
            default -> new Refused(refusal(io));
        };
    }

    /**
     * {@link #begin} without its answer's record (the vCPU's hot path): {@link #SEND} (the request to
     * send is {@link #latched()}), {@link #REEXECUTED} (the answer is {@link #latchedData()}, the reps
     * {@link #latchedCount()}) or {@link #REFUSED}.
     */
    int start(GuestOp.Io io) {
        lastAnsweredServer = -1; // this access has no answer yet (an orphan is woken without one)
        if (badSize(io)) {
            return REFUSED;
        }
        switch (state()) {
            case IoreqState.NONE:
                break;
            case IoreqState.IORESP_READY:
                return reexecute(io);
            default:
                return REFUSED;
        }
        Ioreq p = Ioreq.guest(io.mmio(), io.addr(), io.size(), io.count(), io.dir(), io.df(), io.dataIsPtr(),
                io.data());
        if (p.count() > 1 && p.type() == IoreqType.COPY) {
            p = p.withCount(truncatedCount(p));
        }
        latch(p);
        setIoCompletion(IoCompletion.NONE);
        return SEND;
    }

    private static boolean badSize(GuestOp.Io io) {
        return io.size() > 8 || (io.size() & (io.size() - 1)) != 0 || io.size() == 0;
    }

    /** Why {@link #start} refused {@code io} (it changed nothing the reason depends on). */
    private String refusal(GuestOp.Io io) {
        if (badSize(io)) {
            return "bad mmio size " + io.size();
        }
        int state = state();
        return state == IoreqState.NONE ? "re-executed pointer request" : "io_req.state " + IoreqState.name(state);
    }

    /** The re-execution check of {@code hvmemul_do_io} for a latched IORESP_READY. */
    private int reexecute(GuestOp.Io io) {
        Ioreq p = req();
        latchState(IoreqState.NONE);
        boolean matches = p.type() == (io.mmio() ? IoreqType.COPY : IoreqType.PIO) && p.addr() == io.addr()
                && p.size() == io.size() && Long.compareUnsigned(p.count(), io.count()) <= 0
                && p.dir() == io.dir() && p.df() == io.df() && p.dataIsPtr() == io.dataIsPtr()
                && (!io.dataIsPtr() || ioReqData == io.data());
        if (!matches) {
            throw new DomainCrash("re-issued access does not match the latched ioreq");
        }
        if (io.dataIsPtr()) {
            return REFUSED;
        }
        return REEXECUTED;
    }

    /** Rep MMIO never crosses a 4 KiB guest frame (7626edeaca). */
    static long truncatedCount(Ioreq p) {
        long off = p.addr() & (Xen.PAGE_SIZE - 1);
        long tail = Xen.PAGE_SIZE - off;
        if (tail < p.size()) {
            return 1;
        }
        return Math.min(p.count(), (p.df() ? off + p.size() : tail) / p.size());
    }

    /** Records what a PIO or MMIO completion must re-run once the answer is latched. */
    public void setIoCompletion(IoCompletion completion) {
        this.ioCompletion = (byte) completion.ordinal();
    }

    public IoCompletion ioCompletion() {
        return COMPLETIONS[ioCompletion];
    }

    /** The id of the server whose answer completion consumed last, or -1. */
    public int lastAnsweredServer() {
        return lastAnsweredServer;
    }

    /**
     * {@code handle_hvm_io_completion}, up to the {@code io_completion} switch: wait for each server
     * (7 down to 0) holding a pending entry. Returns WAIT when some server has not answered (the vCPU
     * blocks in Xen; the next wake-up restarts from the top), DONE otherwise. Illegal or backwards
     * slot states throw {@link DomainCrash}.
     */
    public Step complete(boolean fixOrphanedCompletion) {
        for (int id = Xen.MAX_NR_IOREQ_SERVERS - 1; id >= 0; id--) {
            IoreqVcpuEntry e = entryAt(id);
            if (e != null && e.isPending() && !waitForIo(e, fixOrphanedCompletion)) {
                return Step.WAIT;
            }
        }
        if (fixOrphanedCompletion) {
            latchState(latchedNeedsCompletion(state()) ? IoreqState.IORESP_READY : IoreqState.NONE);
            SHUTDOWN_DEFERRED.setRelease(this, false);
        }
        SENT_TO_SERVER.setRelease(this, false);
        return Step.DONE;
    }

    /**
     * {@code hvm_wait_for_io}: true once the entry is no longer pending, false to block. The state is
     * read once per check (XSA-166); a backwards move or an illegal value crashes the domain (XSA-262).
     */
    private boolean waitForIo(IoreqVcpuEntry e, boolean fixed) {
        IoreqPage slots = e.ioreqPage().ioreqPage();
        if (slots == null) {
            throw new DomainCrash("hypervisor fault: completion on a server without an ioreq page");
        }
        int prev = IoreqState.NONE;
        int state = slots.state(vcpuId);
        while (e.isPending()) {
            if (state == IoreqState.NONE) {
                traceCompleted(e, state, ~0L);
                assist(e, ~0L, fixed);
                break;
            }
            if (state < prev) {
                e.setPending(false);
                throw new DomainCrash("Weird HVM ioreq state transition " + prev + " -> " + state);
            }
            prev = state;
            switch (state) {
                case IoreqState.IORESP_READY -> {
                    slots.setState(vcpuId, IoreqState.NONE);
                    long data = slots.data(vcpuId);
                    traceCompleted(e, state, data);
                    assist(e, data, fixed);
                }
                case IoreqState.READY, IoreqState.INPROCESS -> {
                    int now = slots.state(vcpuId);
                    if (now == prev) {
                        return false;
                    }
                    state = now;
                }
                default -> {
                    e.setPending(false);
                    throw new DomainCrash("Weird HVM iorequest state " + state);
                }
            }
        }
        return true;
    }

    private void traceCompleted(IoreqVcpuEntry e, int stateSeen, long data) {
        if (tracer.enabled()) {
            tracer.event(new ModelEvent.IoreqCompleted(domid, vcpuId, e.serverId(), stateSeen, data));
        }
    }

    /**
     * {@code hvm_io_assist}. At the seed it also moves the latched state and ends shutdown deferral;
     * with f7039ee41b it only stores the data and {@link #complete} does the rest after the loop.
     */
    private void assist(IoreqVcpuEntry e, long data, boolean fixed) {
        int state = state();
        if (fixed) {
            if (latchedNeedsCompletion(state)) {
                latchAnswer(data, state);
            }
        } else if (latchedNeedsCompletion(state)) {
            latchAnswer(data, IoreqState.IORESP_READY);
            SHUTDOWN_DEFERRED.setRelease(this, false);
        } else {
            latchState(IoreqState.NONE);
            SHUTDOWN_DEFERRED.setRelease(this, false);
        }
        lastAnsweredServer = (byte) e.serverId();
        e.setPending(false);
    }
}
