package org.ioreqsim.sim.stress.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.ioreqsim.sim.cluster.ClusterMessage;
import org.ioreqsim.sim.stress.RaceScenario;
import org.ioreqsim.sim.stress.SeedSummary;
import org.ioreqsim.sim.stress.StressConfig;
import org.ioreqsim.sim.stress.Violation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of a distributed campaign goes through Jackson CBOR (the binding of {@link ClusterMessage}) and
 * comes back equal, including what a campaign on a healthy model never sends: a seed with a violation.
 */
class CampaignMessagesTest {
    private static ActorSystem<Void> system;
    private static ActorRef<Object> ref;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "messages", ConfigFactory.parseString("""
                akka.actor.serialization-bindings {
                  "org.ioreqsim.sim.cluster.ClusterMessage" = jackson-cbor
                }
                """).withFallback(ConfigFactory.load()));
        ref = system.systemActorOf(Behaviors.empty(), "any", akka.actor.typed.Props.empty());
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    @SuppressWarnings("unchecked")
    private static <T> ActorRef<T> ref() {
        return (ActorRef<T>) (ActorRef<?>) ref;
    }

    static Stream<ClusterMessage> messages() {
        StressConfig cfg = new StressConfig(2, 3, 2, 40, "pct-lifecycle", 4, List.of("fixOrphanedCompletion"),
                List.of("lost", "dup"), false, 5000, List.of("ring-wrap"));
        SeedSummary broken = new SeedSummary(44, 120, "0123456789abcdef", new Violation("routing.disabled-server",
                "d1 server 1 got a request while disabled", 77), Set.of("H1", "H14"),
                Set.of(RaceScenario.values()[0], RaceScenario.values()[2]));
        SeedSummary clean = new SeedSummary(45, 80, "fedcba9876543210", null, Set.of(), Set.of());
        return Stream.of(
                new CampaignCoordinator.Submit("c1", cfg, List.of(new SeedRange(1, 300), new SeedRange(1000, 5)), 4,
                        ref()),
                new CampaignCoordinator.Cancel("c1"),
                new CampaignCoordinator.RequestWork(ref(), -1),
                new CampaignCoordinator.SeedFinished("c1", broken, "127.0.0.1:25520", "stress-worker-1", 12_345),
                new CampaignCoordinator.SeedFailed("c1", 46, "127.0.0.1:25520", "stress-worker-1",
                        "java.lang.IllegalStateException: determinism broken"),
                new CampaignCoordinator.WorkerLost(ref()),
                new CampaignCoordinator.ClientLost("c1"),
                new StressWorker.RunRange("c1", cfg, new SeedRange(5, 4), 7, ref()),
                StressWorker.Repeat.INSTANCE,
                new CampaignClient.Accepted("c1", ref()),
                new CampaignClient.SeedDone("c1", clean, "127.0.0.1:25521", "stress-worker-2", 99),
                new CampaignClient.SeedFailed("c1", 46, "127.0.0.1:25520", "stress-worker-1", "boom"),
                new CampaignClient.CoordinatorLost("c1"),
                CampaignClient.Check.INSTANCE,
                CampaignClient.Stop.INSTANCE);
    }

    @ParameterizedTest
    @MethodSource("messages")
    void roundTripsThroughJacksonCbor(ClusterMessage m) {
        Serialization serialization = SerializationExtension.get(system);
        var serializer = serialization.findSerializerFor(m);
        assertEquals("akka.serialization.jackson.JacksonCborSerializer", serializer.getClass().getName());
        byte[] bytes = serialization.serialize(m).get();
        Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, m))
                .get();
        assertEquals(m, back);
    }
}
