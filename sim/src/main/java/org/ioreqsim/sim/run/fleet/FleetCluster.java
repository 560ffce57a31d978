package org.ioreqsim.sim.run.fleet;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ioreqsim.sim.UserInputException;

/**
 * The cluster members a fleet run needs: a one-member cluster in this JVM for a local run, and a client
 * member that joins a cluster to submit a run and holds no host. Members listen on 127.0.0.1 only.
 */
public final class FleetCluster {
    /** The actor system name every member of an ioreq-sim cluster shares. */
    public static final String SYSTEM = "ioreq-sim";
    /** How long joining may take. */
    static final Duration JOIN = Duration.ofSeconds(20);

    private FleetCluster() {
    }

    /** A member's settings: Artery on 127.0.0.1:{@code port} (0: any free port), these roles. */
    public static Config config(int port, List<String> roles) {
        return ConfigFactory.parseString("""
                akka {
                  loglevel = "WARNING"
                  stdout-loglevel = "OFF"
                  loggers = ["akka.event.slf4j.Slf4jLogger"]
                  logging-filter = "akka.event.slf4j.Slf4jLoggingFilter"
                  log-dead-letters = off
                  log-dead-letters-during-shutdown = off
                  coordinated-shutdown.run-by-jvm-shutdown-hook = off
                  actor.provider = cluster
                  actor.serialization-bindings {
                    "org.ioreqsim.sim.cluster.ClusterMessage" = jackson-cbor
                  }
                  remote.artery.canonical.hostname = "127.0.0.1"
                  remote.artery.bind.hostname = "127.0.0.1"
                  cluster {
                    downing-provider-class = "akka.cluster.sbr.SplitBrainResolverProvider"
                    jmx.enabled = off
                    log-info = off
                  }
                }
                """).withValue("akka.remote.artery.canonical.port",
                        com.typesafe.config.ConfigValueFactory.fromAnyRef(port))
                .withValue("akka.cluster.roles", com.typesafe.config.ConfigValueFactory.fromIterable(roles))
                .withFallback(ConfigFactory.load());
    }

    /** A one-member cluster in this JVM that holds fleet hosts and submits runs. */
    public static ActorSystem<Void> local() {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM, config(0, List.of(FleetHosting.ROLE)));
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        awaitUp(system, "the local member");
        FleetHosting.host(system);
        return system;
    }

    /** A client member that joins the cluster at {@code hostPort} (a member's host:port) and holds no host. */
    public static ActorSystem<Void> client(String hostPort) {
        if (!hostPort.matches("[^:\\s]+:\\d{1,5}")) {
            throw new UserInputException("--cluster: '" + hostPort + "' is not HOST:PORT");
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM, config(0, List.of()));
        Cluster cluster = Cluster.get(system);
        String[] hp = hostPort.split(":");
        cluster.manager().tell(Join.create(new akka.actor.Address("akka", SYSTEM, hp[0], Integer.parseInt(hp[1]))));
        try {
            awaitUp(system, "--cluster " + hostPort);
        } catch (UserInputException e) {
            stop(system);
            throw e;
        }
        return system;
    }

    /** Leaves the cluster and stops the member. */
    public static void stop(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Shutting down: nothing left to report.
        }
    }

    private static void awaitUp(ActorSystem<?> system, String what) {
        CompletableFuture<Boolean> up = new CompletableFuture<>();
        system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
            return Behaviors.receiveMessage(m -> {
                up.complete(true);
                return Behaviors.stopped();
            });
        }), "await-up", Props.empty());
        try {
            up.get(JOIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new UserInputException(what + ": could not join a cluster within " + JOIN.toSeconds()
                    + " s (is a member listening there?)");
        } catch (Exception e) {
            throw new UserInputException(what + ": " + e);
        }
    }
}
