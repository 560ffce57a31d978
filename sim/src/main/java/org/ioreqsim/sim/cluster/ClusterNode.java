package org.ioreqsim.sim.cluster;

import akka.actor.Address;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Cluster;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ioreqsim.sim.UserInputException;
import org.slf4j.LoggerFactory;

/**
 * One cluster member: an actor system with the cluster provider, joined to its seed nodes and Up, hosting
 * the {@link MemberService}s it was started with. Membership, failure detection and downing (Split Brain
 * Resolver) are Akka's.
 *
 * <p>{@link #start} returns once the member is Up, or fails, within a bounded time, with a one-line
 * {@link UserInputException}: the port is in use, no seed node answered, or the cluster refused this member
 * because it runs other code ({@link CodeCompatibility}).
 */
public final class ClusterNode implements AutoCloseable {
    /** How long a leave may take before the member stops anyway. */
    private static final Duration LEAVE_LIMIT = Duration.ofSeconds(20);

    private final ActorSystem<Void> system;
    private final ClusterSettings settings;

    private ClusterNode(ActorSystem<Void> system, ClusterSettings settings) {
        this.system = system;
        this.settings = settings;
    }

    /**
     * Starts a member, waits until it is Up, then starts {@code services} in order (on this thread).
     *
     * @throws UserInputException the member could not listen, join, or was refused (one line, exit code 2)
     */
    public static ClusterNode start(ClusterSettings settings, List<MemberService> services) {
        Config config = settings.config();
        String listen = config.getString("akka.remote.artery.canonical.hostname") + ":"
                + config.getInt("akka.remote.artery.canonical.port");
        checkFree(config.getString("akka.remote.artery.canonical.hostname"),
                config.getInt("akka.remote.artery.canonical.port"), listen);
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, config);
        } catch (RuntimeException e) {
            throw new UserInputException("cannot listen on " + listen + ": " + rootMessage(e));
        }
        ClusterNode node = new ClusterNode(system, settings);
        CompletableFuture<Boolean> up = new CompletableFuture<>();
        Cluster.get(system.classicSystem()).registerOnMemberUp(() -> up.complete(true));
        system.getWhenTerminated().thenRun(() -> up.complete(false));
        Duration limit = ClusterSettings.joinLimit(config);
        String seeds = String.join(",", config.getStringList("akka.cluster.seed-nodes")).replace("akka://"
                + ClusterSettings.SYSTEM_NAME + "@", "");
        boolean joined;
        try {
            joined = up.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            node.stopNow();
            throw new UserInputException("could not join the cluster at " + seeds + " within " + limit.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.stopNow();
            throw new UserInputException("interrupted while joining the cluster at " + seeds);
        } catch (ExecutionException e) {
            node.stopNow();
            throw new IllegalStateException(e.getCause());
        }
        if (!joined) {
            Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(system).getShutdownReason();
            if (reason.isPresent() && reason.get().equals(CoordinatedShutdown.incompatibleConfigurationDetectedReason())) {
                throw new UserInputException("refused by the cluster at " + seeds + ": its members run another ioreq-sim "
                        + "version or model code (this member: version " + settings.version() + ", code fingerprint "
                        + settings.fingerprint() + ")");
            }
            throw new UserInputException("could not join the cluster at " + seeds + " (no seed node answered within "
                    + limit.minusSeconds(10).toSeconds() + " s)");
        }
        for (MemberService s : services) {
            s.start(node);
        }
        return node;
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** This member's address, {@code akka://ioreq-sim@HOST:PORT}. */
    public Address address() {
        return Cluster.get(system.classicSystem()).selfAddress();
    }

    /** {@code HOST:PORT} this member listens on. */
    public String hostPort() {
        Address a = address();
        return a.getHost().orElse("?") + ":" + a.getPort().orElse(0);
    }

    public boolean hasRole(String role) {
        return Cluster.get(system.classicSystem()).selfRoles().contains(role);
    }

    /** Completes when the member has stopped (left, downed, or refused). */
    public CompletableFuture<Void> whenStopped() {
        return system.getWhenTerminated().toCompletableFuture().thenApply(d -> null);
    }

    /** Why the member stopped, in words ({@code null} while it runs, or when the reason is unknown). */
    public String stopReason() {
        Optional<CoordinatedShutdown.Reason> r = CoordinatedShutdown.get(system).getShutdownReason();
        if (r.isEmpty()) {
            return null;
        }
        if (r.get().equals(CoordinatedShutdown.clusterDowningReason())) {
            return "downed by the cluster (Split Brain Resolver: it was unreachable from the majority)";
        }
        if (r.get().equals(CoordinatedShutdown.clusterLeavingReason())) {
            return "left the cluster";
        }
        if (r.get().equals(CoordinatedShutdown.jvmExitReason())) {
            return "stopped by the JVM (Ctrl-C or a signal)";
        }
        return r.get().toString();
    }

    /** Leaves the cluster gracefully (its work is handed to others) and stops, within a bounded time. */
    @Override
    public void close() {
        quietConnectionTeardown();
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.clusterLeavingReason());
        try {
            system.getWhenTerminated().toCompletableFuture().get(LEAVE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            stopNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopNow();
        }
    }

    /**
     * A member that leaves on purpose closes its TCP connections, and Artery's connection streams log each
     * aborted one as a warning ("Upstream failed ... The connection has been aborted"): expected here, and
     * noise on the terminal after the report. From now on this JVM logs only errors of those streams.
     */
    private static void quietConnectionTeardown() {
        if (LoggerFactory.getLogger("akka.stream.Materializer") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private void stopNow() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // gone or going: nothing more to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port in use is said in one line before Akka tries it (and logs a stack trace). */
    private static void checkFree(String host, int port, String listen) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress(host, port), 1);
        } catch (java.io.IOException e) {
            throw new UserInputException("cannot listen on " + listen + ": " + (e instanceof java.net.BindException
                    ? "the port is in use, or the address is not this machine's" : rootMessage(e)));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return ClusterSettings.oneLine(t.getMessage() == null ? t.toString() : t.getMessage());
    }
}
