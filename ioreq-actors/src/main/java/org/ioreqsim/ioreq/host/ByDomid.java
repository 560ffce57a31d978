package org.ioreqsim.ioreq.host;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A per-domain value looked up by domid on the hot path (every event-channel send of an emulator):
 * an array indexed by domid, as Xen's {@code domain_list} lookup is a hash of small integers. Domids
 * are allocated from 1 upwards, so the array grows with the highest domid seen; it grows by doubling
 * under the lock and is published through a volatile field, so a reader takes no lock and does no
 * hashing or boxing.
 *
 * @param <T> the value kept per domain
 */
final class ByDomid<T> {
    private volatile AtomicReferenceArray<T> values = new AtomicReferenceArray<>(64);

    /** The value of {@code domid}, or {@code null} (never set, removed, or not a valid domid). */
    T get(int domid) {
        AtomicReferenceArray<T> v = values;
        return domid >= 0 && domid < v.length() ? v.get(domid) : null;
    }

    synchronized void put(int domid, T value) {
        if (domid < 0) {
            throw new IllegalArgumentException("domid " + domid);
        }
        AtomicReferenceArray<T> v = values;
        if (domid >= v.length()) {
            AtomicReferenceArray<T> grown = new AtomicReferenceArray<>(Math.max(domid + 1, v.length() * 2));
            for (int i = 0; i < v.length(); i++) {
                grown.set(i, v.get(i));
            }
            v = grown;
        }
        v.set(domid, value);
        values = v;
    }

    synchronized void remove(int domid) {
        AtomicReferenceArray<T> v = values;
        if (domid >= 0 && domid < v.length()) {
            v.set(domid, null);
        }
    }
}
