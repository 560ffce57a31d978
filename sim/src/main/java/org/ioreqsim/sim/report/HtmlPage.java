package org.ioreqsim.sim.report;

import java.util.List;
import java.util.Map;

/** A small, self-contained HTML page: headings, key-value tables, data tables and chart images. */
public final class HtmlPage {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlPage(String title) {
        this.title = title;
    }

    public HtmlPage heading(String text) {
        body.append("<h2>").append(esc(text)).append("</h2>\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        body.append("<p>").append(esc(text)).append("</p>\n");
        return this;
    }

    public HtmlPage keyValues(Map<String, ?> rows) {
        body.append("<table class=\"kv\">\n");
        rows.forEach((k, v) -> body.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(String.valueOf(v)))
                .append("</td></tr>\n"));
        body.append("</table>\n");
        return this;
    }

    public HtmlPage table(List<String> header, List<List<?>> rows) {
        body.append("<table>\n<tr>");
        header.forEach(h -> body.append("<th>").append(esc(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<?> r : rows) {
            body.append("<tr>");
            r.forEach(c -> body.append(c instanceof Number ? "<td class=\"n\">" : "<td>").append(esc(format(c)))
                    .append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** An image given as a data URI (see {@link Charts}). */
    public HtmlPage chart(String alt, String dataUri) {
        body.append("<figure><img alt=\"").append(esc(alt)).append("\" src=\"").append(dataUri)
                .append("\"><figcaption>").append(esc(alt)).append("</figcaption></figure>\n");
        return this;
    }

    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse;"
                + "margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px}td.n{text-align:right;"
                + "font-variant-numeric:tabular-nums}table.kv th{text-align:left;background:#f4f4f4}"
                + "figure{margin:1em 0}img{max-width:100%}</style>\n</head><body>\n<h1>" + esc(title) + "</h1>\n"
                + body + "</body></html>\n";
    }

    private static String format(Object o) {
        if (o instanceof Long || o instanceof Integer) {
            return String.format("%,d", ((Number) o).longValue());
        }
        if (o instanceof Double d) {
            return String.format("%,.2f", d);
        }
        return String.valueOf(o);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
