package org.ioreqsim.sim.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ioreqsim.sim.UserInputException;

/**
 * How one cluster member is started: where it listens, which members it joins, what it offers (its roles),
 * and which code it runs (the ioreq-sim version and the model's code fingerprint, which every member must
 * share: {@link CodeCompatibility} refuses a member whose differ).
 *
 * <p>{@link #config()} builds the member's actor system configuration, in this order of precedence: the keys
 * this code needs (cluster provider, Jackson CBOR for {@link ClusterMessage}, the join check, the code
 * identity), then the flags given here, then the {@code --config} file, then {@link #DEFAULTS}, then Akka's
 * reference configuration. Nothing listens beyond loopback unless a host is given (flag or file).
 *
 * @param host        the canonical host to bind and advertise; null: the file's, else 127.0.0.1
 * @param port        the port; null: the file's, else 25520 for a worker; 0 picks a free one
 * @param seedNodes   {@code HOST:PORT} of the members to join; empty: the file's, else this member itself
 *                    (the first member of a new cluster)
 * @param roles       {@link #WORKER}, {@link #CLIENT}, or others a feature defines
 * @param configFile  a HOCON file with Akka settings (any {@code akka.*} key), or null
 * @param version     the ioreq-sim version this member runs
 * @param fingerprint the model's code fingerprint this member runs
 */
public record ClusterSettings(String host, Integer port, List<String> seedNodes, List<String> roles, Path configFile,
                              String version, String fingerprint) {

    /** The actor system name every member shares (it is part of every member's address). */
    public static final String SYSTEM_NAME = "ioreq-sim";
    /** The role of a member that offers its cores (stress workers, fleet hosts). */
    public static final String WORKER = "worker";
    /** The role of a submitting process that joins only to submit a campaign and leaves afterwards. */
    public static final String CLIENT = "client";
    /** The port of a worker when none is given. */
    public static final int DEFAULT_PORT = 25520;
    /**
     * A dispatcher that gives each actor its own thread, for actors that own a thread-bound runtime (a stress
     * worker's controlled actor system): {@code DispatcherSelector.fromConfig(PINNED_DISPATCHER)}.
     */
    public static final String PINNED_DISPATCHER = "ioreq-sim.cluster.pinned-dispatcher";
    /** The config keys that name the code a member runs; they must be equal on every member. */
    public static final String VERSION_KEY = "ioreq-sim.cluster.version";
    public static final String FINGERPRINT_KEY = "ioreq-sim.cluster.fingerprint";

    /**
     * Defaults a {@code --config} file may override. Failure detection and downing are generous: members
     * share loaded machines, and a member wrongly downed costs a restart while a slow detection only delays
     * the hand-out of a dead member's range. A join that gets no answer gives up after 60 s
     * (members start slowly on a loaded machine): a clear error, never a hang.
     */
    public static final String DEFAULTS = """
            akka {
              loglevel = WARNING
              stdout-loglevel = OFF
              loggers = ["akka.event.slf4j.Slf4jLogger"]
              logging-filter = "akka.event.slf4j.Slf4jLoggingFilter"
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              coordinated-shutdown.exit-jvm = off
              remote.artery {
                transport = tcp
                canonical.hostname = "127.0.0.1"
                canonical.port = 25520
              }
              cluster {
                downing-provider-class = "akka.cluster.sbr.SplitBrainResolverProvider"
                split-brain-resolver {
                  active-strategy = keep-majority
                  keep-majority.role = "worker"
                  stable-after = 15s
                }
                failure-detector {
                  heartbeat-interval = 1s
                  acceptable-heartbeat-pause = 10s
                }
                shutdown-after-unsuccessful-join-seed-nodes = 60s
                jmx.enabled = off
                log-info = off
              }
            }
            """;

    public ClusterSettings {
        seedNodes = List.copyOf(seedNodes);
        roles = List.copyOf(roles);
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** A worker member: offers its cores. */
    public static ClusterSettings worker(String host, Integer port, List<String> seedNodes, Path configFile,
                                         String version, String fingerprint) {
        return new ClusterSettings(host, port, seedNodes, List.of(WORKER), configFile, version, fingerprint);
    }

    /** A submitting process: joins {@code seedNode} on a free loopback port, submits, leaves. */
    public static ClusterSettings client(String seedNode, Path configFile, String version, String fingerprint) {
        return new ClusterSettings(null, 0, List.of(seedNode), List.of(CLIENT), configFile, version, fingerprint);
    }

    /** The same member with other roles. */
    public ClusterSettings withRoles(List<String> r) {
        return new ClusterSettings(host, port, seedNodes, r, configFile, version, fingerprint);
    }

    /** The actor system configuration of this member. Bad input (file, addresses) is a {@link UserInputException}. */
    public Config config() {
        for (String s : seedNodes) {
            parseHostPort("--seed-nodes", s);
        }
        Config file = ConfigFactory.empty();
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new UserInputException("--config: " + configFile + " is not a readable file");
            }
            try {
                file = ConfigFactory.parseFile(configFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new UserInputException("--config: " + oneLine(e.getMessage()));
            }
        }
        Config base = file.withFallback(ConfigFactory.parseString(DEFAULTS));
        Config flags = ConfigFactory.empty();
        if (host != null) {
            flags = flags.withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host));
        }
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new UserInputException("--port must be 0..65535");
            }
            flags = flags.withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port));
        }
        Config listen = flags.withFallback(base);
        String myHost = listen.getString("akka.remote.artery.canonical.hostname");
        int myPort = listen.getInt("akka.remote.artery.canonical.port");
        List<String> seeds = new ArrayList<>();
        if (!seedNodes.isEmpty()) {
            seedNodes.forEach(s -> seeds.add(address(s)));
        } else if (!listen.hasPath("akka.cluster.seed-nodes") || listen.getList("akka.cluster.seed-nodes").isEmpty()) {
            if (myPort == 0) {
                throw new UserInputException("--seed-nodes is needed for a member on a free port (--port 0)");
            }
            seeds.add(address(myHost + ":" + myPort));
        }
        if (!seeds.isEmpty()) {
            flags = flags.withValue("akka.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds));
        }
        flags = flags.withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(roles));
        Config fixed = ConfigFactory.parseString("""
                akka.actor.provider = cluster
                akka.remote.artery.transport = tcp
                akka.actor.serialization-bindings {
                  "org.ioreqsim.sim.cluster.ClusterMessage" = jackson-cbor
                }
                akka.cluster.configuration-compatibility-check {
                  enforce-on-join = on
                  checkers.ioreq-sim = "org.ioreqsim.sim.cluster.CodeCompatibility"
                }
                ioreq-sim.cluster.pinned-dispatcher {
                  type = PinnedDispatcher
                  executor = thread-pool-executor
                }
                """)
                .withValue(VERSION_KEY, ConfigValueFactory.fromAnyRef(version))
                .withValue(FINGERPRINT_KEY, ConfigValueFactory.fromAnyRef(fingerprint));
        return fixed.withFallback(flags).withFallback(base).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    /** {@code akka://ioreq-sim@HOST:PORT} of a {@code HOST:PORT}. */
    public static String address(String hostPort) {
        String[] hp = parseHostPort("--seed-nodes", hostPort);
        return "akka://" + SYSTEM_NAME + "@" + hp[0] + ":" + hp[1];
    }

    /**
     * Splits {@code HOST:PORT} (an IPv6 host in brackets), or fails with a one-line {@link UserInputException}
     * naming {@code option}.
     */
    public static String[] parseHostPort(String option, String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.lastIndexOf(':');
        String bad = option + ": '" + text + "' is not HOST:PORT (e.g. 127.0.0.1:25520)";
        if (colon <= 0 || colon == t.length() - 1) {
            throw new UserInputException(bad);
        }
        String h = t.substring(0, colon);
        String p = t.substring(colon + 1);
        if (h.contains(":") && !(h.startsWith("[") && h.endsWith("]")) || h.isBlank() || !p.chars().allMatch(Character::isDigit)
                || p.length() > 5 || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
            throw new UserInputException(bad);
        }
        return new String[] {h, p};
    }

    /** How long a join may take before the member gives up: the configured unsuccessful-join limit, plus a margin. */
    public static Duration joinLimit(Config c) {
        String k = "akka.cluster.shutdown-after-unsuccessful-join-seed-nodes";
        Duration d = c.getString(k).equalsIgnoreCase("off") ? Duration.ofSeconds(20) : c.getDuration(k);
        return d.plusSeconds(10);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
