package org.ioreqsim.ioreq;

import java.util.Objects;

/**
 * Where one guest access was handled: an ioreq server, one of Xen's internal emulators, or the null
 * handler. The {@link #key()} is what reports use: {@code server-<domid>-<id>}, {@code xen-<device>},
 * {@code null}. Routes are interned by whoever creates them so that the hot path allocates none.
 */
public record Route(Kind kind, int domid, int serverId, String device, String key) {

    public enum Kind {
        SERVER,
        XEN,
        NULL,
        /** A broadcast (TIMEOFFSET, INVALIDATE) that went to every enabled server. */
        BROADCAST,
        /** Refused before any handler ran (bad size, stale latched state). */
        NONE
    }

    public Route {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    public static Route server(int domid, int serverId) {
        return new Route(Kind.SERVER, domid, serverId, null, "server-" + domid + "-" + serverId);
    }

    public static Route xen(String device) {
        return new Route(Kind.XEN, -1, -1, device, "xen-" + device);
    }

    public static final Route NULL_HANDLER = new Route(Kind.NULL, -1, -1, null, "null");
    public static final Route BROADCAST_ROUTE = new Route(Kind.BROADCAST, -1, -1, null, "broadcast");
    public static final Route NOWHERE = new Route(Kind.NONE, -1, -1, null, "none");

    @Override
    public String toString() {
        return key;
    }
}
