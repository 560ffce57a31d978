package org.ioreqsim.sim.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ioreqsim.sim.UserInputException;

/**
 * Cluster members on this machine, each its own JVM started with this JVM's java and class path, listening on
 * loopback ({@code cluster up}, and the cluster tests). The first member is the seed node of the others.
 * {@link #close()} stops them all: a signal first (each leaves the cluster gracefully), then, after
 * {@link #STOP_LIMIT}, by force; no member outlives it, nor this JVM's exit (a shutdown hook does the same).
 */
public final class LocalMembers implements AutoCloseable {
    /** The line a member prints once it is Up (the {@code node} command's first line contains it). */
    public static final String UP_MARK = " up, listening on ";
    /** How long members may take to leave before they are killed. */
    static final Duration STOP_LIMIT = Duration.ofSeconds(15);

    /** One member process. */
    public record Member(int index, int port, Process process) {
        /** {@code 127.0.0.1:PORT}. */
        public String hostPort() {
            return "127.0.0.1:" + port;
        }
    }

    /** How to start the members: JVM options, and the main class and arguments of member {@code i} (from 1). */
    public interface Launch {
        List<String> command(int index, int port, String seedNode);
    }

    private final List<Member> members = new ArrayList<>();
    /** Stops the members when this JVM exits without {@link #close()} (Ctrl-C, a test JVM that is ended). */
    private final Thread onExit = new Thread(this::stopAll, "local-members-stop");

    private LocalMembers() {
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * Starts {@code n} members on ports {@code basePort ..} (basePort 0: free ports), waits until each says it
     * is Up, and returns them; every line they print goes to {@code lines}, prefixed with the member's index.
     *
     * @throws UserInputException a port is in use, or a member stopped or did not come up within {@code limit}
     *                            (the members started are stopped)
     */
    public static LocalMembers start(int n, int basePort, List<String> jvmOptions, Launch launch,
                                     Consumer<String> lines, Duration limit) {
        List<Integer> ports = ports(n, basePort);
        String seed = "127.0.0.1:" + ports.get(0);
        LocalMembers all = new LocalMembers();
        CountDownLatch up = new CountDownLatch(n);
        String[] failed = {null};
        try {
            for (int i = 1; i <= n; i++) {
                List<String> cmd = new ArrayList<>();
                cmd.add(javaExecutable());
                cmd.addAll(jvmOptions);
                cmd.add("-cp");
                cmd.add(System.getProperty("java.class.path"));
                cmd.addAll(launch.command(i, ports.get(i - 1), seed));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                Member m = new Member(i, ports.get(i - 1), p);
                all.members.add(m);
                pump(m, lines, up, failed);
            }
            if (!up.await(limit.toMillis(), TimeUnit.MILLISECONDS) || failed[0] != null) {
                String why = failed[0] != null ? failed[0] : "not all members were up within " + limit.toSeconds() + " s";
                all.close();
                throw new UserInputException(why);
            }
            return all;
        } catch (IOException e) {
            all.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            all.close();
            throw new UserInputException("interrupted while the members started");
        }
    }

    public List<Member> members() {
        return List.copyOf(members);
    }

    /** Stops every member: a signal, then force after {@link #STOP_LIMIT}; waits until they are gone. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is stopping them too; stopping twice is harmless
        }
        stopAll();
    }

    private void stopAll() {
        members.forEach(m -> m.process().destroy());
        long deadline = System.nanoTime() + STOP_LIMIT.toNanos();
        for (Member m : members) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                if (!m.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    m.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                m.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Copies a member's output, prefixed, and counts it Up (or failed) once it says so (or stops first). */
    private static void pump(Member m, Consumer<String> lines, CountDownLatch up, String[] failed) {
        Thread t = new Thread(() -> {
            boolean isUp = false;
            String last = "";
            try (BufferedReader r = new BufferedReader(new InputStreamReader(m.process().getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.accept("[member " + m.index() + "] " + line);
                    last = line;
                    if (!isUp && line.contains(UP_MARK)) {
                        isUp = true;
                        up.countDown();
                    }
                }
            } catch (IOException e) {
                // the member is gone
            }
            if (!isUp) {
                synchronized (failed) {
                    if (failed[0] == null) {
                        failed[0] = "member " + m.index() + " (port " + m.port() + ") stopped before it was up: " + last;
                    }
                }
                while (up.getCount() > 0) {
                    up.countDown();
                }
            }
        }, "member-" + m.index() + "-output");
        t.setDaemon(true);
        t.start();
    }

    /** {@code n} ports from {@code base} (0: free ones), each checked free on loopback. */
    static List<Integer> ports(int n, int base) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int p = base == 0 ? 0 : base + i;
            if (p > 65535) {
                throw new UserInputException("--base-port: ports " + base + ".." + (base + n - 1) + " run past 65535");
            }
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                out.add(s.getLocalPort());
            } catch (IOException e) {
                throw new UserInputException("port " + p + " on 127.0.0.1 is in use (choose another --base-port)");
            }
        }
        return out;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
