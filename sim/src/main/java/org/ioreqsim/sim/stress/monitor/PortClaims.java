package org.ioreqsim.sim.stress.monitor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Which server entry claims each event-channel port, during one check of a domain's entries: the
 * {@link PortChecker} runs it after most steps, so it keeps int arrays from check to check (a stamp per
 * port instead of clearing) and builds no strings unless a rule is broken. An owner is a server id, a
 * vCPU and whether the port is the server's bufioreq port, packed in an int.
 */
final class PortClaims {
    static final int NONE = -1;

    private int[] stamp = new int[64];
    private int[] owner = new int[64];
    private int current = 1;
    /** Claims of ports outside the arrays (negative numbers: a port no entry should hold). */
    private final Map<Integer, Integer> odd = new HashMap<>();

    static int owner(int serverId, int vcpu, boolean bufioreq) {
        return (serverId << 16) | (bufioreq ? 0x8000 : 0) | (vcpu & 0x7FFF);
    }

    static String describe(int owner) {
        return "server " + (owner >>> 16) + " " + ((owner & 0x8000) != 0 ? "bufioreq" : "vCPU " + (owner & 0x7FFF));
    }

    /** Forgets every claim. */
    void clear() {
        current++;
        if (current == Integer.MAX_VALUE) {
            Arrays.fill(stamp, 0);
            current = 1;
        }
        odd.clear();
    }

    /** {@code port} is claimed by {@code by}; returns the earlier claim of this check, or {@link #NONE}. */
    int claim(int port, int by) {
        if (port < 0) {
            Integer prev = odd.put(port, by);
            return prev == null ? NONE : prev;
        }
        if (port >= stamp.length) {
            int n = Math.max(port + 1, stamp.length * 2);
            stamp = Arrays.copyOf(stamp, n);
            owner = Arrays.copyOf(owner, n);
        }
        int prev = stamp[port] == current ? owner[port] : NONE;
        stamp[port] = current;
        owner[port] = by;
        return prev;
    }

    boolean claimed(int port) {
        return port < 0 ? odd.containsKey(port) : port < stamp.length && stamp[port] == current;
    }
}
