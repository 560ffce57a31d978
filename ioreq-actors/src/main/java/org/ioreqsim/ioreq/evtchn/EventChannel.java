package org.ioreqsim.ioreq.evtchn;

import akka.actor.typed.ActorRef;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One port of a domain's event-channel table ({@code struct evtchn}), with the two bits of the
 * 2-level ABI that the simulation needs on the receiving side: pending and masked (spec 4.4).
 *
 * <p>State and binding change only under the owning table's lock; pending/masked are updated with
 * compare-and-swap so that notifications from one actor and consumption by another never lose a bit.
 *
 * <p>Laid out to 72 bytes (two ports per vCPU, up to millions): the state shares the flags word (Xen
 * keeps {@code state}, {@code xen_consumer} and {@code pending} in bytes of one word too), and the
 * remote domid and notify vCPU are 16 bits wide, as Xen's {@code domid_t} and {@code notify_vcpu_id} are.
 */
public final class EventChannel {
    /** {@code ECS_*} states used by the model. */
    public enum State {
        FREE,
        /** Port 0: allocated at domain creation, never handed out. */
        RESERVED,
        UNBOUND,
        INTERDOMAIN
    }

    private static final int PENDING = 1;
    private static final int MASKED = 2;
    /** Allocated by Xen for its own use (ioreq ports): the guest cannot send on or close it. */
    private static final int XEN_CONSUMER = 4;
    /** Delivery masks the port (Linux's evtchn device does; spec 4.4). */
    private static final int MASK_ON_DELIVERY = 8;
    /**
     * Deliveries go through the table's {@link DeliveryHook}: kept in the port's own flags so that a
     * delivery reads nothing of the (receiving domain's) table when there is no hook.
     */
    private static final int HOOKED = 64;
    /** The {@link State}'s ordinal, in bits 4 and 5 of the flags (FREE is 0: a cleared word is a free port). */
    private static final int STATE_SHIFT = 4;
    private static final int STATE_BITS = 3 << STATE_SHIFT;
    private static final State[] STATES = State.values();
    private static final VarHandle FLAGS;
    /**
     * The counters, one field each (an array would cost every port another object). Sends on a port are
     * not counted: nothing read the count, and each one cost every port 8 bytes and every send an atomic add.
     */
    private static final VarHandle NOTIFIED_COUNT;
    private static final VarHandle COALESCED_COUNT;
    private static final VarHandle UPCALLS_COUNT;
    private static final VarHandle DROPPED_COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FLAGS = l.findVarHandle(EventChannel.class, "flags", int.class);
            NOTIFIED_COUNT = l.findVarHandle(EventChannel.class, "notifiedCount", long.class);
            COALESCED_COUNT = l.findVarHandle(EventChannel.class, "coalescedCount", long.class);
            UPCALLS_COUNT = l.findVarHandle(EventChannel.class, "upcallsCount", long.class);
            DROPPED_COUNT = l.findVarHandle(EventChannel.class, "droppedCount", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Counter indices for {@link #count} and {@link #counter}. */
    static final int NOTIFIED = 0;
    static final int COALESCED = 1;
    static final int UPCALLS = 2;
    static final int DROPPED = 3;

    private final EventChannelTable table;
    private final int port;
    /** UNBOUND: the domain allowed to bind. INTERDOMAIN: the remote domain ({@code domid_t}, 16 bits). */
    private volatile short remoteDomid;
    /** INTERDOMAIN: the other end. */
    volatile EventChannel remote;
    /** {@code notify_vcpu_id} (16 bits, as in Xen). */
    private volatile short notifyVcpu;
    /*
     * The consumer's actor and message, not the consumer object (one object less per port: there are
     * two per vCPU). Written under the table's lock: the message, then the actor on bind; the actor,
     * then the message on free (see deliver).
     */
    private volatile ActorRef<?> consumerActor;
    private volatile Object consumerMessage;
    /**
     * PENDING, MASKED, XEN_CONSUMER, MASK_ON_DELIVERY and the state (all but the first two change only
     * under the table's lock, but live in the word the CAS updates: fields less).
     */
    @SuppressWarnings("unused")
    private volatile int flags;
    @SuppressWarnings("unused")
    private volatile long notifiedCount;
    @SuppressWarnings("unused")
    private volatile long coalescedCount;
    @SuppressWarnings("unused")
    private volatile long upcallsCount;
    @SuppressWarnings("unused")
    private volatile long droppedCount;

    EventChannel(EventChannelTable table, int port) {
        this.table = table;
        this.port = port;
    }

    public int port() {
        return port;
    }

    EventChannelTable table() {
        return table;
    }

    public int domid() {
        return table.domid();
    }

    public State state() {
        return STATES[((int) FLAGS.getVolatile(this) & STATE_BITS) >> STATE_SHIFT];
    }

    /** Under the table's lock: the port's state ({@code chn->state}). */
    void setState(State state) {
        int f;
        do {
            f = (int) FLAGS.getVolatile(this);
        } while (!FLAGS.compareAndSet(this, f, (f & ~STATE_BITS) | (state.ordinal() << STATE_SHIFT)));
    }

    public int remoteDomid() {
        return remoteDomid;
    }

    /** Under the table's lock. */
    void setRemoteDomid(int domid) {
        remoteDomid = narrow(domid, "domid");
    }

    /** The actor this port's upcalls go to, or {@code null} (Xen's own ports, unbound ports): for inspection. */
    public ActorRef<?> consumerActor() {
        return consumerActor;
    }

    /** The remote port number, or -1 unless INTERDOMAIN. */
    public int remotePort() {
        EventChannel r = remote;
        return state() == State.INTERDOMAIN && r != null ? r.port : -1;
    }

    public boolean isXenConsumer() {
        return ((int) FLAGS.getVolatile(this) & XEN_CONSUMER) != 0;
    }

    /** Under the table's lock: Xen's own port ({@code xen_consumer}). */
    void setXenConsumer() {
        setFlag(XEN_CONSUMER);
    }

    /** Under the table's lock: delivery masks the port. */
    void setMaskOnDelivery() {
        setFlag(MASK_ON_DELIVERY);
    }

    /** Whether deliveries go through the table's hook (set when the consumer is set, or the hook). */
    void setHooked(boolean hooked) {
        int f;
        do {
            f = (int) FLAGS.getVolatile(this);
        } while (!FLAGS.compareAndSet(this, f, hooked ? f | HOOKED : f & ~HOOKED));
    }

    private void setFlag(int bit) {
        int f;
        do {
            f = (int) FLAGS.getVolatile(this);
        } while (!FLAGS.compareAndSet(this, f, f | bit));
    }

    /** Under the table's lock: where the port's events go ({@code null}: nowhere). */
    <T> void setConsumer(EventChannelConsumer<T> c) {
        if (c == null) {
            consumerActor = null;
            consumerMessage = null;
            return;
        }
        setHooked(table.deliveryHook() != null);
        consumerMessage = c.message();
        consumerActor = c.actor();
    }

    public int notifyVcpu() {
        return notifyVcpu;
    }

    /** Under the table's lock. */
    void setNotifyVcpu(int vcpu) {
        notifyVcpu = narrow(vcpu, "notify vCPU");
    }

    /** {@code value} as the 16-bit field holds it; one that does not fit is a caller's bug. */
    private static short narrow(int value, String what) {
        if (value != (short) value) {
            throw new IllegalArgumentException(what + " " + value + " does not fit Xen's 16 bits");
        }
        return (short) value;
    }

    public boolean isPending() {
        return ((int) FLAGS.getVolatile(this) & PENDING) != 0;
    }

    public boolean isMasked() {
        return ((int) FLAGS.getVolatile(this) & MASKED) != 0;
    }

    /** Notifications that reached this port. */
    public long notified() {
        return counter(NOTIFIED);
    }

    /** Notifications that found the port already pending and raised nothing. */
    public long coalesced() {
        return counter(COALESCED);
    }

    /** Upcalls delivered to the port's consumer. */
    public long upcalls() {
        return counter(UPCALLS);
    }

    /** Notifications dropped because this (Xen-side) port was still unbound. */
    public long dropped() {
        return counter(DROPPED);
    }

    long counter(int i) {
        return switch (i) {
            case NOTIFIED -> notifiedCount;
            case COALESCED -> coalescedCount;
            case UPCALLS -> upcallsCount;
            case DROPPED -> droppedCount;
            default -> throw new IllegalArgumentException("counter " + i);
        };
    }

    /** Adds one to counter {@code i} (each case names its own handle, so the add stays a single instruction). */
    void count(int i) {
        switch (i) {
            case NOTIFIED -> NOTIFIED_COUNT.getAndAdd(this, 1L);
            case COALESCED -> COALESCED_COUNT.getAndAdd(this, 1L);
            case UPCALLS -> UPCALLS_COUNT.getAndAdd(this, 1L);
            case DROPPED -> DROPPED_COUNT.getAndAdd(this, 1L);
            default -> throw new IllegalArgumentException("counter " + i);
        }
    }

    /**
     * {@code evtchn_port_set_pending} on a receiving port: coalesce if already pending, else mark
     * pending and, unless masked, deliver one upcall (masking the port if its device does).
     */
    void setPending() {
        count(NOTIFIED);
        int f;
        int nf;
        do {
            f = (int) FLAGS.getVolatile(this);
            if ((f & PENDING) != 0) {
                count(COALESCED);
                return;
            }
            nf = f | PENDING;
            if ((f & MASKED) == 0 && (f & MASK_ON_DELIVERY) != 0) {
                nf |= MASKED;
            }
        } while (!FLAGS.compareAndSet(this, f, nf));
        if ((f & MASKED) == 0) {
            deliver();
        }
    }

    /** The receiver has read the event: clear pending. */
    void consume() {
        int f;
        do {
            f = (int) FLAGS.getVolatile(this);
        } while (!FLAGS.compareAndSet(this, f, f & ~PENDING));
    }

    void mask() {
        int f;
        do {
            f = (int) FLAGS.getVolatile(this);
        } while (!FLAGS.compareAndSet(this, f, f | MASKED));
    }

    /** Unmasks; a pending port delivers one upcall now (and is masked again if its device does). */
    void unmask() {
        int f;
        int nf;
        do {
            f = (int) FLAGS.getVolatile(this);
            nf = f & ~MASKED;
            if ((f & PENDING) != 0 && (f & MASK_ON_DELIVERY) != 0) {
                nf |= MASKED;
            }
        } while (!FLAGS.compareAndSet(this, f, nf));
        if ((f & MASKED) != 0 && (f & PENDING) != 0) {
            deliver();
        }
    }

    @SuppressWarnings("unchecked")
    void deliver() {
        // A consistent (actor, message) pair without the table's lock: a bind writes the message, then the
        // actor; a free clears the actor, then the message; re-read until the actor did not change.
        ActorRef<Object> actor;
        Object message;
        do {
            actor = (ActorRef<Object>) consumerActor;
            if (actor == null) {
                return;
            }
            message = consumerMessage;
        } while (message == null || actor != consumerActor);
        count(UPCALLS);
        if (((int) FLAGS.getVolatile(this) & HOOKED) == 0) {
            actor.tell(message);
        } else {
            table.deliveryHook().deliver(this, new EventChannelConsumer<>(actor, message));
        }
    }

    /** A freshly allocated port starts counting from zero. */
    void resetCounters() {
        // a port allocated for the first time has nothing to reset: skip the fences of four volatile writes
        if ((notifiedCount | coalescedCount | upcallsCount | droppedCount) != 0) {
            notifiedCount = 0;
            coalescedCount = 0;
            upcallsCount = 0;
            droppedCount = 0;
        }
    }

    /** Resets to FREE ({@code evtchn_free}): pending cleared, binding forgotten; counters stay readable. */
    void free() {
        setState(State.FREE);
        remote = null;
        remoteDomid = 0;
        notifyVcpu = 0;
        consumerActor = null;
        consumerMessage = null;
        FLAGS.setVolatile(this, 0);
    }

    @Override
    public String toString() {
        return "d" + table.domid() + " port " + port + " " + state();
    }
}
