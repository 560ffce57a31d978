package org.ioreqsim.sim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A {@link ClusterMessage} record goes through Akka's Jackson CBOR serializer and comes back equal. */
class ClusterMessageSerializationTest {

    record SeedRange(long first, long count, List<String> features) implements ClusterMessage {
    }

    private static ActorSystem<Void> system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "serialization", ConfigFactory.parseString("""
                akka.actor.serialization-bindings {
                  "org.ioreqsim.sim.cluster.ClusterMessage" = jackson-cbor
                }
                """).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    @Test
    void aRecordRoundTripsThroughJacksonCbor() {
        Serialization serialization = SerializationExtension.get(system);
        SeedRange range = new SeedRange(1_000, 250, List.of("cf8-wide", "ring-wrap"));
        byte[] bytes = serialization.serialize(range).get();
        var serializer = serialization.findSerializerFor(range);
        assertEquals("akka.serialization.jackson.JacksonCborSerializer", serializer.getClass().getName());
        Object back = serialization.deserialize(bytes, serializer.identifier(),
                Serializers.manifestFor(serializer, range)).get();
        assertEquals(range, back);
    }
}
