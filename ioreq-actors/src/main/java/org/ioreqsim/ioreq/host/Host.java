package org.ioreqsim.ioreq.host;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.evtchn.DeliveryHook;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.page.Page;
import org.ioreqsim.ioreq.trace.ModelTracer;

/**
 * The machine's shared state that hypercalls reach directly, without a domain actor in between: the
 * frame table, and every live domain's event-channel table and guest memory. Event-channel operations
 * are short, spinlocked operations in Xen that never pause a domain, so here they are synchronous
 * calls made by the caller's own actor; dm_ops, which take the per-domain ioreq lock and may pause the
 * domain, are messages to the domain actor instead.
 *
 * <p>The hypervisor actor registers a domain when it creates it and removes it when it is gone.
 */
public final class Host {
    private final ModelTracer tracer;
    private final DeliveryHook deliveryHook;
    private final MachineMemory memory = new MachineMemory();
    private final ByDomid<EventChannelTable> eventChannels = new ByDomid<>();
    private final ByDomid<GuestMemory> guestMemory = new ByDomid<>();
    private final Map<Class<?>, Extension> extensions = new ConcurrentHashMap<>();

    /** A host whose model events go nowhere. */
    public Host() {
        this(ModelTracer.NONE);
    }

    /** A host whose model reports its events to {@code tracer}. */
    public Host(ModelTracer tracer) {
        this(tracer, null);
    }

    /**
     * A host whose model reports its events to {@code tracer} and whose event channels deliver through
     * {@code deliveryHook} (fault injection; {@code null} for none).
     */
    public Host(ModelTracer tracer, DeliveryHook deliveryHook) {
        this.tracer = tracer;
        this.deliveryHook = deliveryHook;
    }

    /** Where every component on this host reports model events. */
    public ModelTracer tracer() {
        return tracer;
    }

    public MachineMemory memory() {
        return memory;
    }

    public void register(int domid, EventChannelTable table, GuestMemory guest) {
        if (deliveryHook != null) {
            table.setDeliveryHook(deliveryHook);
        }
        eventChannels.put(domid, table);
        guestMemory.put(domid, guest);
    }

    public void unregister(int domid) {
        eventChannels.remove(domid);
        guestMemory.remove(domid);
        for (Extension e : extensions.values()) {
            e.unregistered(domid);
        }
    }

    /**
     * Per-host state that a module above this one keeps on the host without the host knowing its type
     * (the domain module's registry of {@code XenInspector}s). The host never reads it; it only tells it
     * when a domain is gone.
     */
    public interface Extension {
        /** Domain {@code domid} was unregistered: forget what belongs to it. */
        void unregistered(int domid);
    }

    /** The host's one {@code type} extension, made by {@code create} on first use. */
    public <T extends Extension> T extension(Class<T> type, Function<Host, T> create) {
        return type.cast(extensions.computeIfAbsent(type, t -> create.apply(this)));
    }

    /** The domain's event-channel table, or {@code null} if no such domain exists. */
    public EventChannelTable eventChannels(int domid) {
        return eventChannels.get(domid);
    }

    /** The domain's guest memory (what a foreign mapping by a device model reaches), or {@code null}. */
    public GuestMemory guestMemory(int domid) {
        return guestMemory.get(domid);
    }

    /** Resolves a machine frame a hypercall handed out ({@code xenforeignmemory_map} of an mfn). */
    public Page mapFrame(long mfn) {
        return memory.lookup(mfn);
    }

    /**
     * {@code EVTCHNOP_bind_interdomain} made by {@code callerDomid}: -ESRCH if either domain is unknown,
     * else as {@link EventChannelTable#bindInterdomain}.
     */
    public Result<Integer> bindInterdomain(int callerDomid, int remoteDomid, int remotePort,
                                           IntFunction<EventChannelConsumer<?>> consumerFor) {
        EventChannelTable local = eventChannels.get(callerDomid);
        EventChannelTable remote = eventChannels.get(remoteDomid);
        if (local == null || remote == null) {
            return Result.err(Errno.ESRCH);
        }
        return EventChannelTable.bindInterdomain(local, remote, remotePort, consumerFor);
    }

    /** {@code EVTCHNOP_send} by {@code domid}. */
    public Result<Integer> send(int domid, int port) {
        EventChannelTable t = eventChannels.get(domid);
        return t == null ? Result.err(Errno.ESRCH) : t.send(port);
    }

    /** {@code EVTCHNOP_close} by {@code domid} (a guest close: Xen-attached ports refuse). */
    public Result<Integer> close(int domid, int port) {
        EventChannelTable t = eventChannels.get(domid);
        return t == null ? Result.err(Errno.ESRCH) : t.close(port, true);
    }

    /** The receiver read the event on its port. */
    public void consume(int domid, int port) {
        EventChannelTable t = eventChannels.get(domid);
        if (t != null) {
            t.consume(port);
        }
    }

    public void unmask(int domid, int port) {
        EventChannelTable t = eventChannels.get(domid);
        if (t != null) {
            t.unmask(port);
        }
    }

    /** The port of {@code domid}, or {@code null}. */
    public EventChannel port(int domid, int port) {
        EventChannelTable t = eventChannels.get(domid);
        return t == null ? null : t.port(port);
    }
}
