package org.ioreqsim.sim.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;

/**
 * The controlled executor's runnables by key: one FIFO lane per key that has something to run, and the
 * keys in sorted order. (A sorted map did the same with a string comparison at every level of every
 * lookup; the stress driver looks up, lists and removes keys at every step.) Not thread-safe: the
 * executor guards it.
 */
final class ReadyLanes {
    private final HashMap<String, ArrayDeque<Runnable>> lanes = new HashMap<>();
    private final ArrayList<String> sorted = new ArrayList<>();

    void add(String key, Runnable r) {
        ArrayDeque<Runnable> q = lanes.get(key);
        if (q == null) {
            q = new ArrayDeque<>(2);
            lanes.put(key, q);
            int at = Collections.binarySearch(sorted, key);
            sorted.add(-at - 1, key);
        }
        q.add(r);
    }

    /** The lane of {@code key}, or {@code null} if it has nothing to run. */
    ArrayDeque<Runnable> lane(String key) {
        return lanes.get(key);
    }

    /** Takes the oldest runnable of {@code key}'s lane, or {@code null} if it has none. */
    Runnable poll(String key) {
        ArrayDeque<Runnable> q = lanes.get(key);
        if (q == null) {
            return null;
        }
        Runnable r = q.poll();
        if (q.isEmpty()) {
            lanes.remove(key);
            sorted.remove(Collections.binarySearch(sorted, key));
        }
        return r;
    }

    boolean contains(String key) {
        return lanes.containsKey(key);
    }

    boolean isEmpty() {
        return sorted.isEmpty();
    }

    /** The smallest key with something to run; the lanes must not be empty. */
    String firstKey() {
        return sorted.get(0);
    }

    /** The keys with something to run, sorted (a view: copy it before changing the lanes). */
    List<String> keys() {
        return sorted;
    }
}
