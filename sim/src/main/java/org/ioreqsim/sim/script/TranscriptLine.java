package org.ioreqsim.sim.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step's line of the transcript: what ran, its result, what happened meanwhile (completions of
 * earlier accesses, upcalls, crashes), and whether it matched the script's expectation.
 *
 * @param line     the script line
 * @param step     the step as written
 * @param result   the result, e.g. {@code "0 id=0"}, {@code "-22 EINVAL"}, {@code "blocked BLOCKED_ON_IOREQ(0)"}
 * @param fields   the result's {@code key=value} fields
 * @param events   what else happened while the step ran to quiescence
 * @param expected the expectation, or {@code null}
 * @param matched  {@code null} without an expectation
 */
public record TranscriptLine(int line, String step, String result, Map<String, String> fields, List<String> events,
                             String expected, Boolean matched) {

    public TranscriptLine {
        fields = Map.copyOf(fields);
        events = List.copyOf(events);
    }

    /** The result's first token: {@code 0}, {@code -22}, {@code done}, {@code blocked}, ... */
    public String status() {
        int sp = result.indexOf(' ');
        return sp < 0 ? result : result.substring(0, sp);
    }

    /** {@code "12: dmop 0 1 create handle_bufioreq=2 => 0 id=0"} plus indented events. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%4d: %s => %s", line, step, result));
        if (matched != null && !matched) {
            sb.append("   MISMATCH, expected: ").append(expected);
        }
        for (String e : events) {
            sb.append(System.lineSeparator()).append("      ~ ").append(e);
        }
        return sb.toString();
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line);
        m.put("step", step);
        m.put("result", result);
        m.put("status", status());
        m.put("fields", fields);
        m.put("events", events);
        if (expected != null) {
            m.put("expected", expected);
            m.put("matched", matched);
        }
        return m;
    }

    /**
     * Whether {@code result} satisfies {@code expected}: the first tokens are equal and every other
     * expected token appears in the result (so an expectation may check only the fields it cares about).
     */
    static boolean matches(String expected, String result) {
        List<String> exp = tokens(expected);
        List<String> got = tokens(result);
        if (exp.isEmpty() || got.isEmpty() || !exp.get(0).equalsIgnoreCase(got.get(0))) {
            return false;
        }
        for (String t : exp.subList(1, exp.size())) {
            if (got.stream().noneMatch(g -> g.equalsIgnoreCase(t) || sameNumberField(g, t))) {
                return false;
            }
        }
        return true;
    }

    static boolean sameNumberField(String got, String want) {
        int a = got.indexOf('=');
        int b = want.indexOf('=');
        if (a < 0 || b < 0 || !got.substring(0, a).equalsIgnoreCase(want.substring(0, b))) {
            return false;
        }
        String x = got.substring(a + 1);
        String y = want.substring(b + 1);
        return Numbers.isNumber(x) && Numbers.isNumber(y) && Numbers.parse(x) == Numbers.parse(y);
    }

    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        for (String t : s.trim().split("\\s+")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
