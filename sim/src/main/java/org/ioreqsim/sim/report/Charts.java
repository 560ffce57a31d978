package org.ioreqsim.sim.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** The report's charts, drawn with XChart and embedded as PNG data URIs. */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;

    static {
        System.setProperty("java.awt.headless", "true");
        // PNGs are encoded in memory: ImageIO's file cache registers a JVM shutdown hook on first use,
        // which fails when a report is written during Ctrl-C's shutdown.
        javax.imageio.ImageIO.setUseCache(false);
    }

    private Charts() {
    }

    /** Bars whose values span more than this factor are drawn on a logarithmic axis. */
    static final double LOG_SPAN = 50;
    /** At most this many categories are drawn; the table beside the chart has them all. */
    static final int MAX_CATEGORIES = 40;

    /**
     * A bar per category, e.g. completions per route; {@code null} (nothing to draw) when every value is
     * zero. When the values span more than {@link #LOG_SPAN}, the axis is logarithmic (zero bars left
     * out), so one large value does not flatten the rest.
     */
    public static String bars(String title, String xLabel, String yLabel, Map<String, ? extends Number> values) {
        List<String> keys = new ArrayList<>();
        List<Number> ys = new ArrayList<>();
        boolean log = spansWidely(values.values());
        values.forEach((k, v) -> {
            if (!log || v.doubleValue() > 0) {
                keys.add(k);
                ys.add(v);
            }
        });
        if (ys.stream().allMatch(v -> v.doubleValue() == 0)) {
            return null;
        }
        if (keys.size() > MAX_CATEGORIES) {
            keys.subList(MAX_CATEGORIES, keys.size()).clear();
            ys.subList(MAX_CATEGORIES, ys.size()).clear();
            title = title + " (first " + MAX_CATEGORIES + ")";
        }
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(log ? title + " (log scale)" : title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(c, keys.size());
        c.getStyler().setLegendVisible(false);
        if (log) {
            // bars grow from the axis minimum, which a logarithmic axis cannot put at zero
            c.getStyler().setYAxisLogarithmic(true);
            c.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(
                    ys.stream().mapToDouble(Number::doubleValue).min().orElse(1)))));
        }
        c.addSeries(yLabel, keys, ys);
        return png(c);
    }

    /** Several named series over the same categories, side by side; {@code null} if all are zero. */
    public static String groupedBars(String title, String xLabel, String yLabel, List<String> categories,
                                     Map<String, List<? extends Number>> series) {
        return seriesBars(title, xLabel, yLabel, categories, series, false);
    }

    /**
     * Several named series over the same categories, stacked into one bar per category; {@code null} if
     * all are zero. When the totals span more than {@link #LOG_SPAN}, the totals alone are drawn on a
     * logarithmic axis instead (a stack cannot be read on one).
     */
    public static String stackedBars(String title, String xLabel, String yLabel, List<String> categories,
                                     Map<String, List<? extends Number>> series) {
        List<Double> totals = new ArrayList<>();
        for (int i = 0; i < categories.size(); i++) {
            double t = 0;
            for (List<? extends Number> ys : series.values()) {
                t += ys.get(i).doubleValue();
            }
            totals.add(t);
        }
        if (spansWidely(totals)) {
            Map<String, Double> byCategory = new java.util.LinkedHashMap<>();
            for (int i = 0; i < categories.size(); i++) {
                byCategory.put(categories.get(i), totals.get(i));
            }
            return bars(title + ", totals", xLabel, yLabel, byCategory);
        }
        return seriesBars(title, xLabel, yLabel, categories, series, true);
    }

    private static String seriesBars(String title, String xLabel, String yLabel, List<String> categories,
                                     Map<String, List<? extends Number>> series, boolean stacked) {
        boolean any = series.values().stream().flatMap(List::stream).anyMatch(v -> v.doubleValue() != 0);
        if (categories.isEmpty() || !any) {
            return null;
        }
        if (categories.size() > MAX_CATEGORIES) {
            Map<String, List<? extends Number>> cut = new java.util.LinkedHashMap<>();
            series.forEach((name, ys) -> cut.put(name, ys.subList(0, MAX_CATEGORIES)));
            return seriesBars(title + " (first " + MAX_CATEGORIES + ")", xLabel, yLabel,
                    categories.subList(0, MAX_CATEGORIES), cut, stacked);
        }
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(stacked ? HEIGHT + 120 : HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(c, categories.size());
        c.getStyler().setStacked(stacked);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        series.forEach((name, ys) -> c.addSeries(name, categories, new ArrayList<>(ys)));
        return png(c);
    }

    /** Axis labels as people write numbers (25,000, not 2.5E4), and slanted category names when there are many. */
    private static void style(CategoryChart c, int categories) {
        c.getStyler().setXAxisLabelRotation(categories > 6 ? 45 : 0);
        c.getStyler().setYAxisDecimalPattern("#,###.##");
    }

    /** Whether the positive values span more than {@link #LOG_SPAN} (one dwarfs another). */
    private static boolean spansWidely(java.util.Collection<? extends Number> values) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Number n : values) {
            double v = n.doubleValue();
            if (v > 0) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max > 0 && max / min > LOG_SPAN;
    }

    /** A line over x, e.g. throughput over time. */
    public static String line(String title, String xLabel, String yLabel, List<? extends Number> xs,
                              List<? extends Number> ys) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setMarkerSize(4);
        c.getStyler().setYAxisDecimalPattern("#,###.##");
        if (xs.isEmpty()) {
            return null;
        }
        c.addSeries(yLabel, new ArrayList<>(xs), new ArrayList<>(ys));
        return png(c);
    }

    private static String png(Chart<?, ?> chart) {
        try {
            byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
