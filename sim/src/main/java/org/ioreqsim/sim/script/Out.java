package org.ioreqsim.sim.script;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ioreqsim.ioreq.Result;

/** A step's result being built: a status word and ordered {@code key=value} fields. */
final class Out {
    private final String status;
    private final Map<String, String> fields = new LinkedHashMap<>();

    private Out(String status) {
        this.status = status;
    }

    static Out of(String status) {
        return new Out(status);
    }

    /** {@code 0} or {@code -22 EINVAL}. */
    static Out of(Result<?> r) {
        return new Out(r.describe());
    }

    static Out ok() {
        return new Out("0");
    }

    Out put(String key, Object value) {
        fields.put(key, String.valueOf(value));
        return this;
    }

    Out hex(String key, long value) {
        fields.put(key, Numbers.hex(value));
        return this;
    }

    boolean isOk() {
        return status.equals("0");
    }

    String status() {
        return status;
    }

    Map<String, String> fields() {
        return fields;
    }

    String render() {
        StringBuilder sb = new StringBuilder(status);
        fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
