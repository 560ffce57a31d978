package org.ioreqsim.sim.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ioreqsim.sim.report.ReportOutput;
import org.ioreqsim.sim.trace.AutoLayout;
import org.ioreqsim.sim.trace.LayoutLoader;
import org.ioreqsim.sim.trace.QemuTrace;
import org.ioreqsim.sim.trace.QemuTraceReader;
import org.ioreqsim.sim.trace.TraceLayout;
import org.ioreqsim.sim.trace.TraceReplay;
import org.ioreqsim.sim.trace.TraceReport;
import org.ioreqsim.sim.trace.TraceReportPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ioreq-sim trace FILE}: replays a real QEMU trace ({@code -trace memory_region_ops_read -trace
 * memory_region_ops_write}, plain or gzip) into a guest laid out as Xen would see it with that QEMU as
 * its ioreq server, and reports per region where each access was handled and which reads the sim
 * answered differently from the real machine.
 */
@Command(name = "trace", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay a QEMU memory_region_ops trace (plain or gzip) through Xen's ioreq routing and report, "
                + "per region, accesses, routes, buffered writes and reads whose value differs from the recorded one.")
public final class TraceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions.WithProgress out = new OutputOptions.WithProgress();

    @Parameters(index = "0", paramLabel = "FILE", description = "QEMU trace log, plain or gzip.")
    Path file;

    @Option(names = "--layout", paramLabel = "NAME|FILE",
            description = "Guest layout: auto (default: derived from the trace), qemu-i440fx, qemu-q35, or a HOCON "
                    + "layout file.")
    String layout = AutoLayout.NAME;

    @Option(names = "--seed", description = "Seed of the run, printed in the report (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long seed;

    @Override
    public Integer call() throws Exception {
        TraceLayout given = layout.equals(AutoLayout.NAME) ? null : LayoutLoader.load(layout);
        QemuTrace trace = QemuTraceReader.read(file);
        TraceLayout l = given != null ? given : AutoLayout.derive(trace);
        ReportOutput<TraceReport> output = new ReportOutput<>(spec, out.json, out.report);
        TraceReport report;
        try (TraceReplay replay = new TraceReplay(trace, l, seed)) {
            Interruption ctrlC = new Interruption(replay::requestStop);
            try {
                try (Progress progress = new Progress(spec, !out.progress(), trace.accesses(), "accesses replayed")) {
                    report = replay.withProgress(progress::update).run();
                }
                output.emit(report, TraceReport::render, TraceReportPage::html);
            } finally {
                ctrlC.release();
            }
        }
        return 0;
    }
}
