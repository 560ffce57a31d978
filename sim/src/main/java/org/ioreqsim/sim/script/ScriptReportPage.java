package org.ioreqsim.sim.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.report.HtmlPage;

/** The HTML page of {@code script --report DIR}: the transcript as a table, mismatches first in the summary. */
public final class ScriptReportPage {
    private ScriptReportPage() {
    }

    public static String html(String script, List<TranscriptLine> transcript) {
        return html(script, List.of(), transcript);
    }

    /**
     * The page, with the script's comments ({@code lines}: the script as written) shown above the steps
     * they introduce, and each step's expectation and verdict in the last columns.
     */
    public static String html(String script, List<String> lines, List<TranscriptLine> transcript) {
        HtmlPage page = new HtmlPage("ioreq-sim script " + script);
        long checked = transcript.stream().filter(t -> t.matched() != null).count();
        List<TranscriptLine> mismatched = transcript.stream().filter(t -> Boolean.FALSE.equals(t.matched())).toList();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("script", script);
        summary.put("steps", transcript.size());
        summary.put("checked", checked);
        summary.put("mismatched", mismatched.size());
        page.heading("Summary").keyValues(summary);
        if (!mismatched.isEmpty()) {
            page.heading("Mismatches");
            mismatched.forEach(t -> page.paragraph(t.render()));
        }
        List<List<?>> rows = new ArrayList<>();
        int previous = 0;
        for (TranscriptLine t : transcript) {
            StringBuilder comment = new StringBuilder();
            for (int n = previous + 1; n < t.line() && n <= lines.size(); n++) {
                String c = lines.get(n - 1).strip();
                if (c.startsWith("#")) {
                    comment.append(comment.length() == 0 ? "" : " ").append(c.substring(1).strip());
                }
            }
            if (comment.length() > 0) {
                rows.add(List.of(new HtmlPage.Note(comment.toString())));
            }
            previous = t.line();
            String verdict = t.matched() == null ? "-" : t.matched() ? "ok" : "MISMATCH";
            rows.add(List.of(t.line(), t.step(), t.result(), String.join("; ", t.events()),
                    t.expected() == null ? "" : t.expected(), verdict));
        }
        page.heading("Transcript").table(List.of("line", "step", "result", "events", "expected", "check"), rows);
        return page.render();
    }
}
