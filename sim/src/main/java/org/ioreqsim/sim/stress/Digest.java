package org.ioreqsim.sim.stress;

import java.nio.charset.StandardCharsets;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.trace.ModelEvent;

/**
 * A run digest: two independent 64-bit FNV-1a streams over everything a schedule did (each step's
 * actor and message kind, each model event field by field, each timer advance), printed as 32 hex
 * digits. It uses nothing that differs between JVM runs or machines: no identity hashes, no object
 * addresses, no iteration over hash-ordered collections. Teardown markers ({@link ModelEvent.ServerTeardown})
 * are not part of it.
 */
final class Digest {
    private long a = 0xcbf29ce484222325L;
    private long b = 0x84222325cbf29ce4L;

    /** The string's UTF-8 bytes, then a terminator. ASCII (every actor key and message kind) is read in place. */
    void update(String s) {
        long x = a;
        long y = b;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                updateUtf8(s);
                return;
            }
            x = (x ^ c) * 0x100000001b3L;
            y = (y ^ c) * 0x100000001b3L + 0x9E3779B97F4A7C15L;
        }
        a = (x ^ 0xFF) * 0x100000001b3L;
        b = (y ^ 0xFE) * 0x100000001b3L;
    }

    private void updateUtf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : bytes) {
            a = (a ^ (x & 0xFF)) * 0x100000001b3L;
            b = (b ^ (x & 0xFF)) * 0x100000001b3L + 0x9E3779B97F4A7C15L;
        }
        a = (a ^ 0xFF) * 0x100000001b3L;
        b = (b ^ 0xFE) * 0x100000001b3L;
    }

    void update(long v) {
        for (int i = 0; i < 8; i++) {
            int x = (int) (v >>> (8 * i)) & 0xFF;
            a = (a ^ x) * 0x100000001b3L;
            b = (b ^ x) * 0x100000001b3L + 0x9E3779B97F4A7C15L;
        }
    }

    /**
     * A model event, field by field. (Records' own toString goes through String.format, which would
     * dominate the cost of a schedule.)
     */
    void update(ModelEvent e) {
        if (e instanceof ModelEvent.ServerTeardown) {
            // a marker between events the digest already has (the port frees of a deinit, the destroy);
            // left out so that digests recorded before it existed still match
            return;
        }
        update(e.getClass().getSimpleName());
        update(e.domid());
        if (e instanceof ModelEvent.IoreqSent s) {
            update(s.vcpu());
            update(s.serverId());
            update(s.request());
        } else if (e instanceof ModelEvent.IoreqNotSent n) {
            update(n.vcpu());
            update(n.serverId());
            update(n.status().name());
            update(n.reason());
        } else if (e instanceof ModelEvent.IoreqHandled h) {
            update(h.vcpu());
            update(h.route());
            update(h.status().name());
        } else if (e instanceof ModelEvent.IoreqCompleted c) {
            update(c.vcpu());
            update(c.serverId());
            update(c.stateSeen());
            update(c.data());
        } else if (e instanceof ModelEvent.ServerCreated c) {
            update(c.serverId());
            update(c.emulatorDomid());
            update(c.bufioreqMode());
        } else if (e instanceof ModelEvent.ServerDestroyed x) {
            update(x.serverId());
            for (int v : x.orphanedVcpus()) {
                update(v);
            }
        } else if (e instanceof ModelEvent.ServerStateChanged c) {
            update(c.serverId());
            update(c.enabled() ? 1 : 0);
        } else if (e instanceof ModelEvent.RangeChanged r) {
            update(r.serverId());
            update(r.type().code());
            update(r.start());
            update(r.end());
            update(r.mapped() ? 1 : 0);
        } else if (e instanceof ModelEvent.PortAllocated p) {
            update(p.serverId());
            update(p.vcpu());
            update(p.port());
            update(p.bufioreq() ? 1 : 0);
        } else if (e instanceof ModelEvent.PortFreed p) {
            update(p.serverId());
            update(p.vcpu());
            update(p.port());
        } else if (e instanceof ModelEvent.BufferedSent b) {
            update(b.serverId());
            update(b.slots());
            update(b.readPointer());
            update(b.writePointer());
        } else if (e instanceof ModelEvent.BufferedNotSent b) {
            update(b.serverId());
            update(b.reason());
        } else if (e instanceof ModelEvent.OperationEnded o) {
            update(o.vcpu());
            update(o.kind());
            update(o.route());
        } else if (e instanceof ModelEvent.DomainCrashed c) {
            update(c.reason());
        } else if (e instanceof ModelEvent.DomainPaused p) {
            update(p.pauseCount());
        } else if (e instanceof ModelEvent.HypervisorFault f) {
            update(f.reason());
        } else {
            update(e.toString());
        }
    }

    private void update(Ioreq p) {
        update(p.addr());
        update(p.data());
        update(p.count());
        update(p.size());
        update(p.vpEport());
        update(p.state());
        update((p.dataIsPtr() ? 1 : 0) | (p.isRead() ? 2 : 0) | (p.df() ? 4 : 0));
        update(p.type().code());
    }

    /** The 32 hex digits (without {@code String.format}, whose parsing cost more than a short schedule's hashing). */
    @Override
    public String toString() {
        char[] out = new char[32];
        hex(a, out, 0);
        hex(b, out, 16);
        return new String(out);
    }

    private static void hex(long v, char[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = Character.forDigit((int) (v & 0xF), 16);
            v >>>= 4;
        }
    }
}
