package org.ioreqsim.sim.stress.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ioreqsim.sim.cluster.ClusterNode;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.cluster.LocalMembers;
import org.ioreqsim.sim.stress.CodeFingerprint;
import org.ioreqsim.sim.stress.StressConfig;
import org.ioreqsim.sim.stress.StressReport;
import org.ioreqsim.sim.stress.StressRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed stress campaigns on a real cluster: three member JVMs ({@code ioreq-sim node}) on 127.0.0.1 and
 * this JVM as the submitting client, every member with {@code akka.actor.serialize-messages = on}, so a message
 * that does not round-trip through Jackson CBOR fails here. The defining property (issue 12): a campaign's merged
 * report (run digest, violations, findings, coverage, traces) is the single-JVM report of the same seeds,
 * whatever the number of members and whatever members die; and a member that runs other code is refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterCampaignTest {
    private static final int SEEDS = 300;
    private static final StressConfig CONFIG = new StressConfig(1, 2, 2, 10, "pct", 3, List.of(), List.of(), true,
            20_000);

    /**
     * Tight enough that a killed member is downed in seconds, loose enough for a loaded machine; joins retried
     * every 2 s rather than 5 to 10 (the members start together, the seed node not first), and given up only
     * after 170 s (LocalMembers gives them 3 minutes: a JVM can take a minute to start on a loaded machine).
     */
    private static final String MEMBER_CONFIG = """
            akka.actor.serialize-messages = on
            akka.cluster.seed-node-timeout = 2s
            akka.cluster.retry-unsuccessful-join-after = 2s
            akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 170s
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 6s
            akka.cluster.split-brain-resolver.stable-after = 4s
            """;

    @TempDir
    static Path dir;
    private static Path config;
    private static LocalMembers members;
    private static StressReport local;

    @BeforeAll
    static void startMembersAndRunLocally() throws IOException {
        config = Files.writeString(dir.resolve("member.conf"), MEMBER_CONFIG);
        members = LocalMembers.start(3, 0, List.of("-Xmx256m"), (i, port, seed) -> List.of(
                "org.ioreqsim.sim.cli.Main", "node", "--port", String.valueOf(port), "--seed-nodes", seed,
                "--workers", "1", "--config", config.toString()), line -> { }, Duration.ofMinutes(3));
        local = StressRunner.run(options(dir.resolve("local")), p -> { });
    }

    @AfterAll
    static void stopMembers() {
        if (members != null) {
            members.close();
        }
    }

    @Test
    @Order(1)
    void threeMembersMergeTheSingleJvmReport() throws IOException {
        StressReport merged = onCluster(dir.resolve("cluster"), -1);
        assertEquals(normal(local, dir.resolve("local")), normal(merged, dir.resolve("cluster")));
        assertEquals(local.runDigest(), merged.runDigest());
        assertEquals(traceFiles(dir.resolve("local")), traceFiles(dir.resolve("cluster")));
        assertEquals(SEEDS, merged.members().stream().mapToInt(StressReport.MemberEntry::schedules).sum());
    }

    @Test
    @Order(2)
    void aMemberKilledMidWayLosesNoSeedAndCountsNoneTwice() {
        StressReport merged = onCluster(dir.resolve("killed"), SEEDS / 3);
        assertEquals(normal(local, dir.resolve("local")), normal(merged, dir.resolve("killed")));
        assertEquals(SEEDS, merged.schedules());
        assertEquals(SEEDS, merged.members().stream().mapToInt(StressReport.MemberEntry::schedules).sum());
        assertTrue(!members.members().get(2).process().isAlive(), "member 3 was killed");
    }

    @Test
    @Order(3)
    void aMemberWithAnotherCodeFingerprintIsRefused() throws Exception {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), ForeignMember.class.getName(),
                String.valueOf(port), members.members().get(0).hostPort(), config.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the refused member exits");
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(2, p.exitValue(), out);
            String line = out.lines().filter(l -> l.startsWith("ioreq-sim node: ")).findFirst().orElse(out);
            assertTrue(line.contains("refused by the cluster at " + members.members().get(0).hostPort()), line);
            assertTrue(line.contains("another ioreq-sim version or model code"), line);
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(4)
    void everyWorkerLostEndsWithAReportOfWhatRanAndWhatWasLost() {
        // the last two members are killed together: the campaign cannot finish, and must neither hang nor pretend
        StressReport r = onCluster(dir.resolve("lost"), SEEDS / 3, 0, 1);
        assertTrue(r.lost() != null, "the report says the campaign was lost");
        assertTrue(!r.interrupted(), "lost, not interrupted");
        assertTrue(r.schedules() >= SEEDS / 3 && r.schedules() < SEEDS, "seeds finished: " + r.schedules());
        assertEquals(SEEDS, r.schedules() + r.lost().seeds(), "every seed either counted or listed as not run");
        assertEquals(r.lost().seeds(), r.lost().notRun().stream().mapToLong(ClusterCampaignTest::size).sum());
        assertTrue(r.render().startsWith("LOST: "), r.render());
        assertTrue(r.lost().reason().contains("worker"), r.lost().reason());
        for (int i = 0; i < 2; i++) {
            assertTrue(!members.members().get(i).process().isAlive(), "member " + (i + 1) + " was killed");
        }
    }

    private static long size(String range) {
        String[] ends = range.split("\\.\\.");
        return ends.length == 1 ? 1 : Long.parseLong(ends[1]) - Long.parseLong(ends[0]) + 1;
    }

    /** Runs the campaign from this JVM as a client member; kills member 3 once {@code killAfter} seeds are done. */
    private static StressReport onCluster(Path traces, int killAfter) {
        return onCluster(traces, killAfter, 2);
    }

    /** Runs the campaign from this JVM as a client member; kills {@code kill} once {@code killAfter} seeds are done. */
    private static StressReport onCluster(Path traces, int killAfter, int... kill) {
        var code = CodeFingerprint.current();
        AtomicBoolean killed = new AtomicBoolean();
        ClusterNode client = ClusterNode.start(ClusterSettings.client(members.members().get(0).hostPort(), config,
                code.version(), code.model()), List.of());
        try {
            return ClusterCampaign.run(client, options(traces), done -> {
                if (killAfter >= 0 && done >= killAfter && killed.compareAndSet(false, true)) {
                    for (int k : kill) {
                        members.members().get(k).process().destroyForcibly();
                    }
                }
            }, () -> false);
        } finally {
            client.close();
        }
    }

    private static StressRunner.Options options(Path traces) {
        try {
            Files.createDirectories(traces);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new StressRunner.Options(CONFIG, 1, SEEDS, 2, traces, true, false, 5, "ClusterCampaignTest");
    }

    /** The report without what varies from run to run (times, rates, workers, members) and with traces relative. */
    private static StressReport normal(StressReport r, Path traces) {
        String prefix = traces.toString();
        List<StressReport.ViolationEntry> v = r.violationList().stream().map(e -> new StressReport.ViolationEntry(
                e.seed(), e.rule(), e.detail(), e.step(), rel(e.trace(), prefix), rel(e.junit(), prefix), e.shrunk()))
                .toList();
        Map<String, StressReport.FindingEntry> f = new TreeMap<>();
        r.findings().forEach((k, e) -> f.put(k, new StressReport.FindingEntry(e.schedules(), e.firstSeed(),
                e.description(), e.fixedBy(), e.example(), rel(e.trace(), prefix))));
        return new StressReport(r.mode(), r.config(), r.strategy(), r.firstSeed(), r.schedules(), 0, 0, r.steps(), 0,
                0, r.violations(), v, f, r.coverage(), r.digest(), r.runDigest(), r.asked(), r.interrupted(), List.of(),
                r.lost());
    }

    private static String rel(String path, String prefix) {
        return path == null ? null : path.replace(prefix, "TRACES");
    }

    /**
     * The trace files of a campaign, by name, with their contents; the numbers Akka Streams gives its supervisors
     * (a count of the streams the writing actor system ran before, so of its history, local or not) are left out.
     */
    private static Map<String, String> traceFiles(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.collect(Collectors.toMap(p -> p.getFileName().toString(), p -> {
                try {
                    return Files.readString(p).replaceAll("StreamSupervisor-[0-9]+", "StreamSupervisor-#");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, (a, b) -> a, TreeMap::new));
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
