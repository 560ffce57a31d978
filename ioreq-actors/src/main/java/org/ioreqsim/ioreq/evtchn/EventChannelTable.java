package org.ioreqsim.ioreq.evtchn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Result;

/**
 * A domain's event-channel table (xen/common/event_channel.c), with the operations the ioreq
 * subsystem uses. Structural changes (allocate, bind, close) hold the table's lock, and a bind or a
 * close of an inter-domain pair holds both tables' locks in domid order, as Xen's
 * {@code double_evtchn_lock} does; notifications and sends only read the binding.
 *
 * <p>Ports are allocated lowest-first; port 0 is reserved at creation.
 */
public final class EventChannelTable {
    private final int domid;
    private final int maxPort;
    /** Grown by copying under the lock; published through the volatile field so readers need no lock. */
    private volatile EventChannel[] ports;
    /** No port below this one is FREE. */
    private int lowestFreeHint = 1;
    private volatile boolean dying;
    /** Fault injection on delivery; {@code null} (the default) delivers directly. Set before first use. */
    private DeliveryHook deliveryHook;

    public EventChannelTable(int domid, int maxPort) {
        if (maxPort < 1) {
            throw new IllegalArgumentException("maxPort " + maxPort);
        }
        this.domid = domid;
        this.maxPort = maxPort;
        this.ports = new EventChannel[Math.min(maxPort + 1, 8)];
        port0();
    }

    public int domid() {
        return domid;
    }

    public int maxPort() {
        return maxPort;
    }

    /** Routes every delivery of this table's ports through {@code hook} ({@code null}: deliver directly). */
    public synchronized void setDeliveryHook(DeliveryHook hook) {
        this.deliveryHook = hook;
        for (EventChannel c : ports) {
            if (c != null) {
                c.setHooked(hook != null);
            }
        }
    }

    DeliveryHook deliveryHook() {
        return deliveryHook;
    }

    public boolean isDying() {
        return dying;
    }

    /** The port, or {@code null} if it was never allocated or is out of range. */
    public EventChannel port(int port) {
        EventChannel[] p = ports;
        return port >= 0 && port < p.length ? p[port] : null;
    }

    /** {@code port_is_valid} and not FREE. */
    public boolean isAllocated(int port) {
        EventChannel c = port(port);
        return c != null && c.state() != EventChannel.State.FREE;
    }

    /**
     * {@code alloc_unbound_xen_event_channel}: a Xen-attached port, UNBOUND and waiting for
     * {@code remoteDomid}, whose events go to {@code consumerFor.apply(port)} (Xen's default action:
     * wake the notify vCPU) when the remote end sends.
     * -EINVAL in a dying domain, -ENOSPC when no port is free.
     */
    public synchronized Result<Integer> allocUnboundXen(int notifyVcpu, int remoteDomid,
                                                        IntFunction<EventChannelConsumer<?>> consumerFor) {
        int free = freePort();
        if (free < 0) {
            return Result.err(noFreePort(free));
        }
        EventChannel c = port(free);
        c.resetCounters();
        c.setState(EventChannel.State.UNBOUND);
        c.setXenConsumer();
        c.setNotifyVcpu(notifyVcpu);
        c.setRemoteDomid(remoteDomid);
        c.setConsumer(consumerFor.apply(free));
        return Result.ok(free);
    }

    /**
     * {@code evtchn_bind_interdomain} by {@code local}'s domain: allocate the lowest free local port,
     * check that {@code remotePort} is UNBOUND and waiting for {@code local}'s domain, bind both ends,
     * and mark the local port pending ("we may have lost notifications while unbound"). The local
     * port's events go to {@code consumerFor.apply(localPort)}; its device masks on delivery.
     */
    public static Result<Integer> bindInterdomain(EventChannelTable local, EventChannelTable remote, int remotePort,
                                                  IntFunction<EventChannelConsumer<?>> consumerFor) {
        EventChannel lchn;
        synchronized (first(local, remote)) {
            synchronized (second(local, remote)) {
                int free = local.freePort();
                if (free < 0) {
                    return Result.err(noFreePort(free));
                }
                EventChannel rchn = remote.port(remotePort);
                if (rchn == null || rchn.state() != EventChannel.State.UNBOUND || rchn.remoteDomid() != local.domid) {
                    // the port get_free_port found stays free: Xen's next allocation finds it again
                    local.lowestFreeHint = Math.min(local.lowestFreeHint, free);
                    return Result.err(Errno.EINVAL);
                }
                lchn = local.port(free);
                lchn.resetCounters();
                lchn.setConsumer(consumerFor.apply(lchn.port()));
                lchn.setMaskOnDelivery();
                lchn.remote = rchn;
                lchn.setRemoteDomid(remote.domid);
                lchn.setState(EventChannel.State.INTERDOMAIN);
                rchn.remote = lchn;
                rchn.setRemoteDomid(local.domid);
                rchn.setState(EventChannel.State.INTERDOMAIN);
            }
        }
        lchn.setPending();
        return Result.ok(lchn.port());
    }

    /**
     * {@code evtchn_close}: frees the port; an inter-domain peer becomes UNBOUND, waiting for this
     * domain again. {@code guest} closes are refused on Xen-attached ports (-EINVAL), as are
     * closes of free or out-of-range ports.
     */
    public Result<Integer> close(int port, boolean guest) {
        EventChannel c = port(port);
        EventChannel.State state = c == null ? null : c.state();
        if (c == null || state == EventChannel.State.FREE || state == EventChannel.State.RESERVED) {
            return Result.err(Errno.EINVAL);
        }
        if (guest && c.isXenConsumer()) {
            return Result.err(Errno.EINVAL);
        }
        EventChannel r = c.remote;
        EventChannelTable other = r != null ? r.table() : this;
        synchronized (first(this, other)) {
            synchronized (second(this, other)) {
                if (c.state() == EventChannel.State.INTERDOMAIN && r != null && r.remote == c) {
                    r.setState(EventChannel.State.UNBOUND);
                    r.remote = null;
                    r.setRemoteDomid(domid);
                }
                c.free();
                lowestFreeHint = Math.min(lowestFreeHint, port);
            }
        }
        return Result.ok(0);
    }

    /**
     * {@code notify_via_xen_event_channel}: Xen notifies the emulator bound to its port. A port that is
     * still UNBOUND drops the notification silently.
     */
    public void notifyViaXen(int port) {
        EventChannel c = port(port);
        if (c == null) {
            return;
        }
        EventChannel r = c.remote;
        if (c.state() == EventChannel.State.INTERDOMAIN && r != null) {
            r.setPending();
        } else {
            c.count(EventChannel.DROPPED);
        }
    }

    /**
     * {@code evtchn_send} by this domain on {@code port}: -EINVAL for a free or invalid port, and for a
     * Xen-attached one ("Guest cannot send via a Xen-attached event channel": the ioreq ports Xen
     * allocated in a guest); an UNBOUND port drops it (0); an inter-domain port raises the remote end,
     * which for a Xen-attached remote means Xen's default action (wake its notify vCPU if blocked) and
     * remembers nothing.
     */
    public Result<Integer> send(int port) {
        EventChannel c = port(port);
        EventChannel.State state = c == null ? null : c.state();
        if (c == null || state == EventChannel.State.FREE || state == EventChannel.State.RESERVED
                || c.isXenConsumer()) {
            return Result.err(Errno.EINVAL);
        }
        EventChannel r = c.remote;
        if (state != EventChannel.State.INTERDOMAIN || r == null) {
            return Result.ok(0);
        }
        if (r.isXenConsumer()) {
            r.deliver();
        } else {
            r.setPending();
        }
        return Result.ok(0);
    }

    /** The receiver read the event: clears pending. */
    public void consume(int port) {
        EventChannel c = port(port);
        if (c != null) {
            c.consume();
        }
    }

    public void mask(int port) {
        EventChannel c = port(port);
        if (c != null) {
            c.mask();
        }
    }

    /** Unmasks; a pending port delivers one upcall. */
    public void unmask(int port) {
        EventChannel c = port(port);
        if (c != null) {
            c.unmask();
        }
    }

    /**
     * {@code evtchn_destroy} in {@code domain_kill}: the domain is dying, so no port can be allocated
     * any more, and every port is closed (peers become UNBOUND). Nothing is woken.
     */
    public void destroyAll() {
        dying = true;
        for (EventChannel c : snapshot()) {
            EventChannel.State state = c.state();
            if (state == EventChannel.State.UNBOUND || state == EventChannel.State.INTERDOMAIN) {
                close(c.port(), false);
            }
        }
    }

    /** Marks the domain dying without closing anything yet. */
    public void setDying() {
        dying = true;
    }

    /** The allocated ports (state other than FREE), lowest first. */
    public List<EventChannel> snapshot() {
        List<EventChannel> out = new ArrayList<>();
        for (EventChannel c : ports) {
            if (c != null && c.state() != EventChannel.State.FREE) {
                out.add(c);
            }
        }
        return out;
    }

    /** {@link #freePort}'s answer in a dying domain. */
    private static final int DYING = -1;
    /** {@link #freePort}'s answer when every port up to {@code maxPort} is taken. */
    private static final int FULL = -2;

    /**
     * {@code get_free_port}: the lowest FREE port, growing the table up to {@code maxPort}; {@link #DYING}
     * or {@link #FULL} if there is none (an int, so the search boxes nothing).
     */
    private int freePort() {
        if (dying) {
            return DYING;
        }
        EventChannel[] table = ports;
        for (int p = lowestFreeHint; p <= maxPort; p++) {
            if (p == table.length) {
                table = Arrays.copyOf(table, Math.min(maxPort + 1, table.length * 2));
            }
            if (table[p] == null) {
                table[p] = new EventChannel(this, p);
            }
            if (table[p].state() == EventChannel.State.FREE) {
                ports = table;
                lowestFreeHint = p + 1;
                return p;
            }
        }
        ports = table;
        lowestFreeHint = maxPort + 1;
        return FULL;
    }

    /** Xen's errno for {@link #freePort}'s {@link #DYING} or {@link #FULL}: -EINVAL or -ENOSPC. */
    private static Errno noFreePort(int free) {
        return free == DYING ? Errno.EINVAL : Errno.ENOSPC;
    }

    private void port0() {
        ports[0] = new EventChannel(this, 0);
        ports[0].setState(EventChannel.State.RESERVED);
    }

    private static EventChannelTable first(EventChannelTable a, EventChannelTable b) {
        return a.domid <= b.domid ? a : b;
    }

    private static EventChannelTable second(EventChannelTable a, EventChannelTable b) {
        return a.domid <= b.domid ? b : a;
    }
}
