package org.ioreqsim.ioreq.server;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map of local port by vCPU id, iterated in vCPU order: two int arrays rather than a tree
 * entry and two boxed integers per vCPU. An emulator reports one when it has started
 * ({@link EmulatorEvent.Started}); at a million vCPUs those reports are held until every emulator has
 * started, so their size is part of the machine's spawn.
 */
public final class PortsByVcpu extends AbstractMap<Integer, Integer> {
    private final int[] vcpus;
    private final int[] ports;

    private PortsByVcpu(int[] vcpus, int[] ports) {
        this.vcpus = vcpus;
        this.ports = ports;
    }

    /** {@code map} itself if it is one already (it is immutable), else a copy of it; null keys or values throw. */
    public static PortsByVcpu copyOf(Map<Integer, Integer> map) {
        if (map instanceof PortsByVcpu p) {
            return p;
        }
        int n = map.size();
        int[] vcpus = new int[n];
        int i = 0;
        for (Integer v : map.keySet()) {
            vcpus[i++] = v;
        }
        Arrays.sort(vcpus);
        int[] ports = new int[n];
        for (i = 0; i < n; i++) {
            ports[i] = map.get(vcpus[i]);
        }
        return new PortsByVcpu(vcpus, ports);
    }

    /** From {@code portByVcpu} indexed by vCPU id, leaving out the entries equal to {@code none}. */
    static PortsByVcpu of(int[] portByVcpu, int none) {
        int n = 0;
        for (int p : portByVcpu) {
            if (p != none) {
                n++;
            }
        }
        int[] vcpus = new int[n];
        int[] ports = new int[n];
        int i = 0;
        for (int v = 0; v < portByVcpu.length; v++) {
            if (portByVcpu[v] != none) {
                vcpus[i] = v;
                ports[i++] = portByVcpu[v];
            }
        }
        return new PortsByVcpu(vcpus, ports);
    }

    @Override
    public int size() {
        return vcpus.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof Integer v && Arrays.binarySearch(vcpus, v) >= 0;
    }

    @Override
    public Integer get(Object key) {
        if (!(key instanceof Integer v)) {
            return null;
        }
        int i = Arrays.binarySearch(vcpus, v);
        return i < 0 ? null : ports[i];
    }

    @Override
    public Set<Entry<Integer, Integer>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Integer, Integer>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < vcpus.length;
                    }

                    @Override
                    public Entry<Integer, Integer> next() {
                        if (next == vcpus.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(vcpus[i], ports[i]);
                    }
                };
            }

            @Override
            public int size() {
                return vcpus.length;
            }
        };
    }
}
