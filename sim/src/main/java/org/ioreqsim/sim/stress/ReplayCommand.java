package org.ioreqsim.sim.stress;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ioreqsim.sim.report.ReportOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ioreq-sim replay FILE}: runs a stress trace again, step by step, and checks its digest. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a stress trace (written by 'ioreq-sim stress') exactly: the same program, the "
                + "same scheduling decision at every step, the same fault decisions; then compare the digest.",
            "Exit code 0 if the replay reproduced the trace, 1 if it diverged or its digest differs."})
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A .trace.json file.")
    Path file;

    @Option(names = "--steps", description = "Print every step: the actor, the message, the model's events.")
    boolean steps;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write DIR/report.json and DIR/index.html (the verdict and every step).")
    Path reportDir;

    @Override
    public Integer call() throws Exception {
        ReportOutput<Map<String, Object>> output = new ReportOutput<>(spec, json, reportDir);
        StressTrace t = Traces.read(file);
        ScheduleResult r;
        try (ScheduleRunner runner = new ScheduleRunner("replay")) {
            r = runner.run(t.config(), t.seed(), t.program(), ReplayStrategy.exact(t.decisions()),
                    new ScheduleRunner.RunOptions(t.stopOnViolation(), steps || reportDir != null, t.faults()));
        }
        boolean sameCode = CodeFingerprint.current().model().equals(t.codeVersion() == null ? null
                : t.codeVersion().model());
        boolean matches = r.divergence() == null && r.steps() == t.expect().steps() && r.digest().equals(t.expect().digest());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("seed", t.seed());
        m.put("steps", r.steps());
        m.put("digest", r.digest());
        m.put("expectedDigest", t.expect().digest());
        m.put("matches", matches);
        m.put("divergence", r.divergence());
        m.put("sameModelCode", sameCode);
        m.put("violations", r.violations());
        m.put("findings", r.findings().keySet());
        output.emit(m, x -> text(t, r, sameCode, matches), x -> StressReportPage.html(x, r));
        return matches ? 0 : 1;
    }

    private String text(StressTrace t, ScheduleResult r, boolean sameCode, boolean matches) {
        StringWriter sw = new StringWriter();
        PrintWriter out = new PrintWriter(sw);
        if (steps) {
            printSteps(out, r);
        }
        out.printf("replay of %s (seed %d, %s%s)%n", file, t.seed(), t.strategy(),
                t.shrunk() == null ? "" : ", shrunk to " + t.shrunk().describe());
        if (!sameCode) {
            out.printf("  note: recorded with model %s, replaying on %s: a divergence may come from the code%n",
                    t.codeVersion() == null ? "?" : t.codeVersion().model(), CodeFingerprint.current().model());
        }
        if (r.divergence() != null) {
            out.println("  DIVERGED: " + r.divergence());
        }
        out.printf("  %d steps (trace: %d), digest %s (trace: %s): %s%n", r.steps(), t.expect().steps(), r.digest(),
                t.expect().digest(), matches ? "reproduced" : "DIFFERENT");
        r.violations().forEach(v -> out.println("  violation: " + v));
        r.findings().values().forEach(f -> out.println("  finding: " + f));
        out.flush();
        return sw.toString();
    }

    /** The model's events of a run recorded with details, by step. */
    static Map<Integer, java.util.List<String>> eventsByStep(ScheduleResult r) {
        Map<Integer, java.util.List<String>> events = new java.util.TreeMap<>();
        for (String e : r.events()) {
            int sp = e.indexOf(' ');
            events.computeIfAbsent(Integer.parseInt(e.substring(0, sp)), k -> new java.util.ArrayList<>())
                    .add(e.substring(sp + 1));
        }
        return events;
    }

    private static void printSteps(PrintWriter out, ScheduleResult r) {
        Map<Integer, java.util.List<String>> events = eventsByStep(r);
        for (int i = 0; i < r.steps(); i++) {
            out.printf("%5d %-28s <- %s%n", i, r.decisions().get(i), r.details().get(i));
            for (String e : events.getOrDefault(i, java.util.List.of())) {
                out.println("        . " + e);
            }
        }
    }
}
