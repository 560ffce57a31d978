package org.ioreqsim.sim.stress;

import java.nio.charset.StandardCharsets;

/**
 * A run digest: two independent 64-bit FNV-1a streams over everything a schedule did (each step's
 * actor and message kind, each model event, each timer advance), printed as 32 hex digits. It uses
 * nothing that differs between JVM runs or machines.
 */
final class Digest {
    private long a = 0xcbf29ce484222325L;
    private long b = 0x84222325cbf29ce4L;

    void update(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : bytes) {
            a = (a ^ (x & 0xFF)) * 0x100000001b3L;
            b = (b ^ (x & 0xFF)) * 0x100000001b3L + 0x9E3779B97F4A7C15L;
        }
        a = (a ^ 0xFF) * 0x100000001b3L;
        b = (b ^ 0xFE) * 0x100000001b3L;
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", a, b);
    }
}
