package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.vcpu.Outcome;

/**
 * How each replayed access ended, by its index in the trace: where it was handled, whether it went into
 * the buffered ring, and what a read returned. Kept column-wise (13 bytes an access) so that two
 * replays of one trace can be compared access by access ({@link TraceDiff}).
 */
final class ReplayLog {
    private static final int DONE = 1;
    private static final int BUFFERED = 2;

    private final List<Route> routes = new ArrayList<>();
    private final Map<Route, Integer> routeIds = new HashMap<>();
    private final int[] route;
    private final long[] value;
    private final byte[] flags;

    ReplayLog(int accesses) {
        this.route = new int[accesses];
        this.value = new long[accesses];
        this.flags = new byte[accesses];
    }

    void record(int i, Outcome o) {
        route[i] = routeIds.computeIfAbsent(o.route(), r -> {
            routes.add(r);
            return routes.size() - 1;
        });
        value[i] = o.value();
        flags[i] = (byte) ((o.kind() == Outcome.Kind.DONE ? DONE : 0) | (o.buffered() ? BUFFERED : 0));
    }

    Route route(int i) {
        return routes.get(route[i]);
    }

    /** A read's value (the access size's low bytes), else 0. */
    long value(int i) {
        return value[i];
    }

    /** The access completed (not #GP, not a crash). */
    boolean done(int i) {
        return (flags[i] & DONE) != 0;
    }

    boolean buffered(int i) {
        return (flags[i] & BUFFERED) != 0;
    }
}
