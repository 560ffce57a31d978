package org.ioreqsim.sim.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The chart of synchronous throughput against vCPU count: the simulator and the raw Akka bound. */
final class ThroughputChart {
    private ThroughputChart() {
    }

    /** Writes a PNG (log-scaled vCPU axis) to {@code file}. */
    static void write(Path file, List<Double> vcpus, List<Double> raw, List<Double> sim) {
        XYChart chart = new XYChartBuilder().width(900).height(540)
                .title("ioreq-sim: synchronous ioreqs per second against vCPUs (one JVM per point)")
                .xAxisTitle("vCPUs (closed loop, think 0)").yAxisTitle("ioreqs per second").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setXAxisDecimalPattern("#,###");
        XYSeries r = chart.addSeries("raw Akka bound (3-hop closed loop)", vcpus, raw);
        r.setMarker(SeriesMarkers.CIRCLE);
        XYSeries s = chart.addSeries("simulator (full model)", vcpus, sim);
        s.setMarker(SeriesMarkers.DIAMOND);
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            BitmapEncoder.saveBitmap(chart, file.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }
}
