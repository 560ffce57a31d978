package org.ioreqsim.ioreq.server;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An emulator's bound vCPU ports: which vCPU a local port serves and which local port a vCPU has.
 * Both directions are plain arrays, so the per-request lookups neither box nor hash; the ordered map
 * is kept for reports and start-up events.
 */
final class BoundPorts {
    private static final int NONE = -1;

    private final Map<Integer, Integer> portByVcpu = new TreeMap<>();
    private int[] vcpuByPort = new int[0];
    private int[] portByVcpuId = new int[0];

    /** Records that local port {@code port} serves vCPU {@code vcpu}. */
    void bind(int vcpu, int port) {
        vcpuByPort = ensure(vcpuByPort, port);
        portByVcpuId = ensure(portByVcpuId, vcpu);
        vcpuByPort[port] = vcpu;
        portByVcpuId[vcpu] = port;
        portByVcpu.put(vcpu, port);
    }

    /** The vCPU local port {@code port} serves, or -1. */
    int vcpuOf(int port) {
        return port >= 0 && port < vcpuByPort.length ? vcpuByPort[port] : NONE;
    }

    /** The local port of vCPU {@code vcpu}, or -1. */
    int portOf(int vcpu) {
        return vcpu >= 0 && vcpu < portByVcpuId.length ? portByVcpuId[vcpu] : NONE;
    }

    /** Local port by vCPU id, in vCPU order (a live view). */
    Map<Integer, Integer> byVcpu() {
        return portByVcpu;
    }

    Collection<Integer> ports() {
        return Collections.unmodifiableCollection(portByVcpu.values());
    }

    void clear() {
        portByVcpu.clear();
        Arrays.fill(vcpuByPort, NONE);
        Arrays.fill(portByVcpuId, NONE);
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
