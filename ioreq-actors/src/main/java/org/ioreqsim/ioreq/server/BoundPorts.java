package org.ioreqsim.ioreq.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An emulator's bound vCPU ports: which vCPU a local port serves and which local port a vCPU has.
 * Both directions are plain int arrays, so the per-request lookups neither box nor hash, and an
 * emulator with a hundred vCPUs holds two small arrays rather than a map entry per vCPU.
 */
final class BoundPorts {
    private static final int NONE = -1;

    private int[] vcpuByPort = new int[0];
    private int[] portByVcpu = new int[0];

    /** Records that local port {@code port} serves vCPU {@code vcpu}. */
    void bind(int vcpu, int port) {
        vcpuByPort = ensure(vcpuByPort, port);
        portByVcpu = ensure(portByVcpu, vcpu);
        vcpuByPort[port] = vcpu;
        portByVcpu[vcpu] = port;
    }

    /** The vCPU local port {@code port} serves, or -1. */
    int vcpuOf(int port) {
        return port >= 0 && port < vcpuByPort.length ? vcpuByPort[port] : NONE;
    }

    /** The local port of vCPU {@code vcpu}, or -1. */
    int portOf(int vcpu) {
        return vcpu >= 0 && vcpu < portByVcpu.length ? portByVcpu[vcpu] : NONE;
    }

    /** Local port by vCPU id, in vCPU order (a copy). */
    PortsByVcpu byVcpu() {
        return PortsByVcpu.of(portByVcpu, NONE);
    }

    /** The bound ports, in vCPU order. */
    List<Integer> ports() {
        List<Integer> out = new ArrayList<>();
        for (int p : portByVcpu) {
            if (p != NONE) {
                out.add(p);
            }
        }
        return out;
    }

    void clear() {
        Arrays.fill(vcpuByPort, NONE);
        Arrays.fill(portByVcpu, NONE);
    }

    private static int[] ensure(int[] a, int index) {
        if (index < a.length) {
            return a;
        }
        int[] b = Arrays.copyOf(a, Math.max(index + 1, a.length * 2));
        Arrays.fill(b, a.length, b.length, NONE);
        return b;
    }
}
