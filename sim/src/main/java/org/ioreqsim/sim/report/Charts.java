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

    /** A bar per category, e.g. completions per route. */
    public static String bars(String title, String xLabel, String yLabel, Map<String, ? extends Number> values) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(values.size() > 6 ? 45 : 0);
        List<String> keys = new ArrayList<>(values.keySet());
        List<Number> ys = new ArrayList<>(values.values());
        if (keys.isEmpty()) {
            keys.add("(none)");
            ys.add(0);
        }
        c.addSeries(yLabel, keys, ys);
        return png(c);
    }

    /** Several named series over the same categories, side by side. */
    public static String groupedBars(String title, String xLabel, String yLabel, List<String> categories,
                                     Map<String, List<? extends Number>> series) {
        return seriesBars(title, xLabel, yLabel, categories, series, false);
    }

    /** Several named series over the same categories, stacked into one bar per category. */
    public static String stackedBars(String title, String xLabel, String yLabel, List<String> categories,
                                     Map<String, List<? extends Number>> series) {
        return seriesBars(title, xLabel, yLabel, categories, series, true);
    }

    private static String seriesBars(String title, String xLabel, String yLabel, List<String> categories,
                                     Map<String, List<? extends Number>> series, boolean stacked) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(stacked ? HEIGHT + 120 : HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setStacked(stacked);
        c.getStyler().setLegendPosition(stacked ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.InsideNE);
        c.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 45 : 0);
        if (categories.isEmpty()) {
            c.addSeries(yLabel, List.of("(none)"), List.of(0));
        }
        series.forEach((name, ys) -> {
            if (!categories.isEmpty()) {
                c.addSeries(name, categories, new ArrayList<>(ys));
            }
        });
        return png(c);
    }

    /** A line over x, e.g. throughput over time. */
    public static String line(String title, String xLabel, String yLabel, List<? extends Number> xs,
                              List<? extends Number> ys) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setMarkerSize(4);
        if (xs.isEmpty()) {
            c.addSeries(yLabel, List.of(0), List.of(0));
        } else {
            c.addSeries(yLabel, new ArrayList<>(xs), new ArrayList<>(ys));
        }
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
