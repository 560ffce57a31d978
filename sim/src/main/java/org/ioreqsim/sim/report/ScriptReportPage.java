package org.ioreqsim.sim.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.script.TranscriptLine;

/** The HTML page of {@code script --report DIR}: the transcript as a table, mismatches first in the summary. */
public final class ScriptReportPage {
    private ScriptReportPage() {
    }

    public static String html(String script, List<TranscriptLine> transcript) {
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
        for (TranscriptLine t : transcript) {
            rows.add(List.of(t.line(), t.step(), t.result(), t.fields().toString(), String.join("; ", t.events()),
                    t.status()));
        }
        page.heading("Transcript").table(List.of("line", "step", "result", "out-fields", "events", "check"), rows);
        return page.render();
    }
}
