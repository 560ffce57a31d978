package org.ioreqsim.sim.run.fleet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.ioreqsim.sim.cluster.ClusterMessage;
import org.ioreqsim.sim.run.RunReport;

/**
 * What one fleet host measured, sent from the member that ran it to the member that submitted the run:
 * the counts of its {@link RunReport}, and its latencies as HdrHistogram's compressed encoding, so the
 * submitter merges histograms, not percentiles.
 *
 * @param host          the host's name
 * @param member        the member that ran it ({@code host:port})
 * @param seed          the host's seed
 * @param domains       guest domains
 * @param vcpus         guest vCPUs
 * @param servers       ioreq servers
 * @param issued        operations started
 * @param completed     operations finished
 * @param byRoute       completions by where they were handled
 * @param byOutcome     completions by how they ended
 * @param buffered      writes that went into a buffered ring
 * @param fallbackSync  buffered writes sent synchronously because the ring was full
 * @param bufferedLost  buffered slots lost unread
 * @param activeSeconds the host's active time (to its last completion)
 * @param steadyPerSec  its completions per second in its steady-state window
 * @param endedBy       {@code done}, {@code stalled} or {@code interrupted}
 * @param findings      the host's findings (at most {@value #MAX_LINES})
 * @param failures      its emulator failures (at most {@value #MAX_LINES})
 * @param stalled       its stalled vCPUs (at most {@value #MAX_LINES})
 * @param stalledCount  how many vCPUs stalled
 * @param events        its lifecycle events with Xen's answers
 * @param latencies     every operation's latency in nanoseconds, compressed
 */
public record HostFigures(String host, String member, long seed, long domains, long vcpus, long servers, long issued,
                          long completed, Map<String, Long> byRoute, Map<String, Long> byOutcome, long buffered,
                          long fallbackSync, long bufferedLost, double activeSeconds, double steadyPerSec,
                          String endedBy, List<String> findings, List<String> failures, List<String> stalled,
                          int stalledCount, List<RunReport.LifecycleEvent> events, byte[] latencies)
        implements ClusterMessage {

    /** Lines of findings, failures and stalled vCPUs a host sends at most. */
    public static final int MAX_LINES = 50;
    /** Latencies up to one hour, 3 significant digits: as {@code RunMetrics} records them. */
    static final long HIGHEST_NANOS = 3_600_000_000_000L;

    public HostFigures {
        byRoute = Map.copyOf(byRoute);
        byOutcome = Map.copyOf(byOutcome);
        findings = List.copyOf(findings);
        failures = List.copyOf(failures);
        stalled = List.copyOf(stalled);
        events = List.copyOf(events);
        Objects.requireNonNull(latencies, "latencies");
    }

    /** The figures of host {@code host}, run on {@code member}, from its report and latency histogram. */
    static HostFigures of(String host, String member, RunReport r, Histogram latencies) {
        Map<String, Object> c = r.config();
        return new HostFigures(host, member, r.seed(), ((Number) c.get("domains")).longValue(),
                ((Number) c.get("vcpus")).longValue(), ((Number) c.get("servers")).longValue(), r.ioreqs().issued(),
                r.ioreqs().completed(), r.ioreqs().byRoute(), r.ioreqs().byOutcome(), r.ioreqs().buffered(),
                r.ioreqs().bufferedFallbackSync(), r.ioreqs().bufferedLost(), r.timing().activeSeconds(),
                r.timing().steadyPerSec(), r.timing().endedBy(), first(r.findings()), first(r.emulatorFailures()),
                first(r.stalledVcpus()), r.stalledVcpus().size(), r.events(), encode(latencies));
    }

    private static List<String> first(List<String> lines) {
        return lines.size() <= MAX_LINES ? lines : new ArrayList<>(lines.subList(0, MAX_LINES));
    }

    /** The histogram's compressed encoding. */
    static byte[] encode(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        return Arrays.copyOf(b.array(), n);
    }

    /** The latencies, decoded. */
    public Histogram latencyHistogram() {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(latencies), HIGHEST_NANOS);
        } catch (DataFormatException e) {
            throw new IllegalStateException("host " + host + ": its latency histogram does not decode", e);
        }
    }

    /** An empty histogram of the kind hosts send. */
    static Histogram emptyHistogram() {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostFigures f && host.equals(f.host) && member.equals(f.member) && seed == f.seed
                && domains == f.domains && vcpus == f.vcpus && servers == f.servers && issued == f.issued
                && completed == f.completed && byRoute.equals(f.byRoute) && byOutcome.equals(f.byOutcome)
                && buffered == f.buffered && fallbackSync == f.fallbackSync && bufferedLost == f.bufferedLost
                && Double.compare(activeSeconds, f.activeSeconds) == 0
                && Double.compare(steadyPerSec, f.steadyPerSec) == 0 && endedBy.equals(f.endedBy)
                && findings.equals(f.findings) && failures.equals(f.failures) && stalled.equals(f.stalled)
                && stalledCount == f.stalledCount && events.equals(f.events) && Arrays.equals(latencies, f.latencies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, member, seed, issued, completed, Arrays.hashCode(latencies));
    }

    @Override
    public String toString() {
        return "HostFigures[" + host + " on " + member + ": " + issued + " issued, " + completed + " completed, "
                + endedBy + "]";
    }
}
