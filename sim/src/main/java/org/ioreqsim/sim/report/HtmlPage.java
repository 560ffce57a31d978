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
        rows.forEach((k, v) -> body.append("<tr><th>").append(esc(k)).append("</th><td>").append(cell(v))
                .append("</td></tr>\n"));
        body.append("</table>\n");
        return this;
    }

    /** Rows shown in a table; the rest are counted in a last row (report.json has them all). */
    static final int MAX_ROWS = 100;

    /** A link in a table cell or a key-value row. */
    public record Link(String text, String href) {
    }

    /** A row of one note across every column of a table (for example a script's comment). */
    public record Note(String text) {
    }

    public HtmlPage table(List<String> header, List<? extends List<?>> rows) {
        return table(header, rows, MAX_ROWS);
    }

    /** A table of at most {@code maxRows} rows (a last row counts the rest). */
    public HtmlPage table(List<String> header, List<? extends List<?>> rows, int maxRows) {
        body.append("<div class=\"wide\"><table>\n<tr>");
        header.forEach(h -> body.append("<th>").append(esc(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<?> r : rows.subList(0, Math.min(rows.size(), maxRows))) {
            if (r.size() == 1 && r.get(0) instanceof Note n) {
                body.append("<tr class=\"note\"><td colspan=\"").append(header.size()).append("\">").append(esc(n.text()))
                        .append("</td></tr>\n");
                continue;
            }
            body.append("<tr>");
            r.forEach(c -> body.append(c instanceof Number ? "<td class=\"n\">" : "<td>").append(cell(c))
                    .append("</td>"));
            body.append("</tr>\n");
        }
        if (rows.size() > maxRows) {
            body.append("<tr><td colspan=\"").append(header.size()).append("\">... and ")
                    .append(String.format("%,d", rows.size() - maxRows)).append(" more (report.json has them all)</td></tr>\n");
        }
        body.append("</table></div>\n");
        return this;
    }

    /** An image given as a data URI (see {@link Charts}); a chart with nothing to draw ({@code null}) says so. */
    public HtmlPage chart(String alt, String dataUri) {
        if (dataUri == null) {
            return paragraph(alt + ": nothing to draw (every value is zero).");
        }
        body.append("<figure><img alt=\"").append(esc(alt)).append("\" src=\"").append(dataUri)
                .append("\"><figcaption>").append(esc(alt)).append("</figcaption></figure>\n");
        return this;
    }

    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse;"
                + "margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px}td.n{text-align:right;white-space:nowrap;"
                + "font-variant-numeric:tabular-nums}table.kv th{text-align:left;background:#f4f4f4}"
                + "figure{margin:1em 0}img{max-width:100%}div.wide{max-width:100%;overflow-x:auto}"
                + "td{overflow-wrap:anywhere}pre{white-space:pre-wrap}tr.note td{font-style:italic;color:#555;"
                + "background:#fafafa}td.bad{background:#fdd;font-weight:bold}</style>\n</head><body>\n<h1>" + esc(title) + "</h1>\n"
                + body + "</body></html>\n";
    }

    private static String cell(Object o) {
        if (o instanceof Link l) {
            return "<a href=\"" + esc(l.href()) + "\">" + esc(l.text()) + "</a>";
        }
        return esc(format(o));
    }

    /**
     * A value as a person reads it: integers with thousands separators, other numbers with at most two
     * decimals, a map as "key count, key count" largest first, a list joined by commas.
     */
    static String format(Object o) {
        if (o instanceof Long || o instanceof Integer || o instanceof Short) {
            return String.format("%,d", ((Number) o).longValue());
        }
        if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format("%,d", (long) d) : String.format("%,.2f", d);
        }
        if (o instanceof Map<?, ?> m) {
            List<Map.Entry<?, ?>> entries = new java.util.ArrayList<>(m.entrySet());
            if (entries.stream().allMatch(e -> e.getValue() instanceof Number)) {
                entries.sort((a, b) -> Double.compare(((Number) b.getValue()).doubleValue(),
                        ((Number) a.getValue()).doubleValue()));
            }
            List<String> parts = new java.util.ArrayList<>();
            entries.forEach(e -> parts.add(e.getKey() + " " + format(e.getValue())));
            return String.join(", ", parts);
        }
        if (o instanceof java.util.Collection<?> c) {
            List<String> parts = new java.util.ArrayList<>();
            c.forEach(x -> parts.add(format(x)));
            return String.join(", ", parts);
        }
        return String.valueOf(o);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
