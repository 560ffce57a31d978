package org.ioreqsim.sim.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.XenOptions;

/**
 * Runs one script at the seed and before it ({@code legacyDefaultServer}) and lists the steps whose
 * results or side effects differ: the dm_op and param answers that changed, and the accesses whose
 * handling changed (the default server before, the null handler now).
 */
public final class ScriptDiff {

    /** One step that differs. */
    public record Difference(int line, String step, String seed, String beforeSeed, List<String> seedEvents,
                             List<String> beforeSeedEvents) {
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", line);
            m.put("step", step);
            m.put("seed", seed);
            m.put("beforeSeed", beforeSeed);
            m.put("seedEvents", seedEvents);
            m.put("beforeSeedEvents", beforeSeedEvents);
            return m;
        }

        public String render() {
            StringBuilder sb = new StringBuilder(String.format("%4d: %s%n", line, step));
            sb.append("        seed (2c257bd6):      ").append(seed).append(System.lineSeparator());
            sb.append("        before (a5f52c3f):    ").append(beforeSeed).append(System.lineSeparator());
            if (!seedEvents.equals(beforeSeedEvents)) {
                seedEvents.forEach(e -> sb.append("        seed   ~ ").append(e).append(System.lineSeparator()));
                beforeSeedEvents.forEach(e -> sb.append("        before ~ ").append(e).append(System.lineSeparator()));
            }
            return sb.toString();
        }
    }

    private ScriptDiff() {
    }

    /** The steps (in order) whose result or events differ between the two Xen versions. */
    public static List<Difference> diff(List<Step> steps) {
        List<TranscriptLine> seed;
        List<TranscriptLine> before;
        try (ScriptRunner r = new ScriptRunner(steps, XenOptions.SEED)) {
            seed = r.run();
        }
        try (ScriptRunner r = new ScriptRunner(steps, XenOptions.SEED.with("legacyDefaultServer", true))) {
            before = r.run();
        }
        List<Difference> out = new ArrayList<>();
        for (int i = 0; i < seed.size(); i++) {
            TranscriptLine a = seed.get(i);
            TranscriptLine b = before.get(i);
            if (!a.result().equals(b.result()) || !a.events().equals(b.events())) {
                out.add(new Difference(a.line(), a.step(), a.result(), b.result(), a.events(), b.events()));
            }
        }
        return out;
    }
}
