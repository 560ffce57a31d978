package org.ioreqsim.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Values by small non-negative id (vCPU ids, below HVM_MAX_VCPUS), in an array: lookups neither box
 * nor search, iteration is in ascending id order as a sorted map's would be, and a domain holds one
 * array rather than a tree node per vCPU.
 */
final class IdTable<V> {
    private Object[] byId = new Object[0];
    private int size;

    @SuppressWarnings("unchecked")
    V get(int id) {
        return id >= 0 && id < byId.length ? (V) byId[id] : null;
    }

    boolean containsKey(int id) {
        return get(id) != null;
    }

    /** Stores {@code value} (not null) under {@code id}; returns the previous value or null. */
    V put(int id, V value) {
        if (id < 0) {
            throw new IllegalArgumentException("id " + id);
        }
        if (id >= byId.length) {
            byId = Arrays.copyOf(byId, Math.max(id + 1, Math.min(byId.length * 2 + 4, 1 << 16)));
        }
        V old = get(id);
        byId[id] = value;
        if (old == null) {
            size++;
        }
        return old;
    }

    V remove(int id) {
        V old = get(id);
        if (old != null) {
            byId[id] = null;
            size--;
        }
        return old;
    }

    void clear() {
        Arrays.fill(byId, null);
        size = 0;
    }

    int size() {
        return size;
    }

    /** The values in ascending id order (a copy). */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (Object v : byId) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }

    /** The ids in ascending order, as a fresh array. */
    int[] idArray() {
        int[] out = new int[size];
        int n = 0;
        for (int id = 0; id < byId.length && n < out.length; id++) {
            if (byId[id] != null) {
                out[n++] = id;
            }
        }
        return out;
    }

    /** The ids in ascending order (a copy). */
    List<Integer> keys() {
        List<Integer> out = new ArrayList<>(size);
        for (int id = 0; id < byId.length; id++) {
            if (byId[id] != null) {
                out.add(id);
            }
        }
        return out;
    }
}
