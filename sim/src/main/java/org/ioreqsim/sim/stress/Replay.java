package org.ioreqsim.sim.stress;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stress trace run again exactly: the same program, the same scheduling decision at every step, the
 * same fault decisions; then its digest compared with the recorded one.
 *
 * @param file     the trace file
 * @param trace    what it recorded
 * @param result   what the replay did
 * @param sameCode the model code is the one the trace was recorded with
 * @param matches  the replay followed every decision and ended with the recorded steps and digest
 */
public record Replay(Path file, StressTrace trace, ScheduleResult result, boolean sameCode, boolean matches) {

    /** Replays {@code file}; {@code details} records every step's actor, message and model events. */
    public static Replay of(Path file, boolean details) {
        StressTrace t = Traces.read(file);
        ScheduleResult r;
        try (ScheduleRunner runner = new ScheduleRunner("replay")) {
            r = runner.run(t.config(), t.seed(), t.program(), ReplayStrategy.exact(t.decisions()),
                    new ScheduleRunner.RunOptions(t.stopOnViolation(), details, t.faults()));
        }
        boolean sameCode = CodeFingerprint.current().model().equals(t.codeVersion() == null ? null
                : t.codeVersion().model());
        boolean matches = r.divergence() == null && r.steps() == t.expect().steps()
                && r.digest().equals(t.expect().digest());
        return new Replay(file, t, r, sameCode, matches);
    }

    /** The verdict as {@code --json} prints it. */
    public Map<String, Object> verdict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("seed", trace.seed());
        m.put("steps", result.steps());
        m.put("digest", result.digest());
        m.put("expectedDigest", trace.expect().digest());
        m.put("matches", matches);
        m.put("divergence", result.divergence());
        m.put("sameModelCode", sameCode);
        m.put("violations", result.violations());
        m.put("findings", result.findings().keySet());
        return m;
    }

    /** The verdict as text, every step first when {@code steps}. */
    public String render(boolean steps) {
        StringWriter sw = new StringWriter();
        PrintWriter out = new PrintWriter(sw);
        if (steps) {
            printSteps(out);
        }
        out.printf("replay of %s (seed %d, %s%s)%n", file, trace.seed(), trace.strategy(),
                trace.shrunk() == null ? "" : ", shrunk to " + trace.shrunk().describe());
        if (!sameCode) {
            out.printf("  note: recorded with model %s, replaying on %s: a divergence may come from the code%n",
                    trace.codeVersion() == null ? "?" : trace.codeVersion().model(), CodeFingerprint.current().model());
        }
        if (result.divergence() != null) {
            out.println("  DIVERGED: " + result.divergence());
        }
        out.printf("  %d steps (trace: %d), digest %s (trace: %s): %s%n", result.steps(), trace.expect().steps(),
                result.digest(), trace.expect().digest(), matches ? "reproduced" : "DIFFERENT");
        result.violations().forEach(v -> out.println("  violation: " + v));
        result.findings().values().forEach(f -> out.println("  finding: " + f));
        out.flush();
        return sw.toString();
    }

    /** The verdict and every step as an HTML page. */
    public String html() {
        return StressReportPage.html(verdict(), result);
    }

    /** The model's events of a run recorded with details, by step. */
    static Map<Integer, List<String>> eventsByStep(ScheduleResult r) {
        Map<Integer, List<String>> events = new TreeMap<>();
        for (String e : r.events()) {
            int sp = e.indexOf(' ');
            events.computeIfAbsent(Integer.parseInt(e.substring(0, sp)), k -> new ArrayList<>())
                    .add(e.substring(sp + 1));
        }
        return events;
    }

    private void printSteps(PrintWriter out) {
        Map<Integer, List<String>> events = eventsByStep(result);
        for (int i = 0; i < result.steps(); i++) {
            out.printf("%5d %-28s <- %s%n", i, result.decisions().get(i), result.details().get(i));
            for (String e : events.getOrDefault(i, List.of())) {
                out.println("        . " + e);
            }
        }
    }
}
