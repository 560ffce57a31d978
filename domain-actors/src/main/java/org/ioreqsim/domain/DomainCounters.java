package org.ioreqsim.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counters a domain keeps across its servers' lifetimes (a destroyed server's losses stay counted). */
final class DomainCounters {
    long bufferedLostOnDisable;
    long bufferedLostOnDestroy;
    long timeoffsetLost;

    Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("bufferedLostOnDisable", bufferedLostOnDisable);
        m.put("bufferedLostOnDestroy", bufferedLostOnDestroy);
        m.put("timeoffsetLost", timeoffsetLost);
        return m;
    }
}
