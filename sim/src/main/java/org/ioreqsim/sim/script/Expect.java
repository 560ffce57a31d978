package org.ioreqsim.sim.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code expect} step: checks the {@code ~} events of the step above it (the nearest step that is
 * not itself an {@code expect}), so that whatever a step makes happen besides its result can be
 * asserted: the completion of an earlier access ({@code expect io 1.0 line=11 done value=0x60}), an
 * upcall, a domain state change, a finding, a drained ring item, an emulator's start.
 *
 * <p>An event matches when its first word equals the pattern's first word and every other word of the
 * pattern appears among the event's words (numbers in {@code key=value} compare by value, case does
 * not matter). In an event, {@code (line N)} reads as {@code line=N} and a word's trailing colon is
 * dropped ({@code domain 1 CRASHED: ...} has the word {@code CRASHED}). Without {@code count=} at least
 * one event must match; with {@code count=N}, exactly N (so {@code count=0} checks that something did
 * not happen).
 */
final class Expect {
    private static final Pattern LINE_REF = Pattern.compile("\\(line (\\d+)\\)");

    private Expect() {
    }

    /**
     * Checks {@code s} against {@code events}, the events of script line {@code stepLine} (-1 when no
     * step ran before it).
     */
    static TranscriptLine check(Step s, int stepLine, List<String> events) {
        List<String> pattern = s.positional();
        int n = 0;
        for (String e : events) {
            if (matches(pattern, e)) {
                n++;
            }
        }
        boolean ok = s.has("count") ? n == s.num("count", 0) : n > 0;
        Out o = Out.of(ok ? "0" : (n == 0 ? "absent" : "mismatch")).put("matched", n).put("of_step", stepLine)
                .put("events", events.size());
        String wanted = (s.has("count") ? "count=" + s.arg("count") + " " : "") + String.join(" ", pattern);
        return new TranscriptLine(s.line(), s.text(), o.render(), o.fields(), List.of(), wanted, ok);
    }

    static boolean matches(List<String> pattern, String event) {
        List<String> got = words(LINE_REF.matcher(event).replaceAll("line=$1"));
        if (pattern.isEmpty() || got.isEmpty() || !pattern.get(0).equalsIgnoreCase(got.get(0))) {
            return false;
        }
        for (String p : pattern.subList(1, pattern.size())) {
            if (got.stream().noneMatch(g -> g.equalsIgnoreCase(p) || TranscriptLine.sameNumberField(g, p))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.trim().split("\\s+")) {
            if (w.endsWith(":") && w.length() > 1) {
                w = w.substring(0, w.length() - 1);
            }
            if (!w.isEmpty()) {
                out.add(w.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
