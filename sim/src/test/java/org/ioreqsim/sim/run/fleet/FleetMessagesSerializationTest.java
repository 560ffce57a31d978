package org.ioreqsim.sim.run.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.ioreqsim.sim.run.RunReport;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.ScenarioFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every message a fleet run sends across the network goes through Jackson CBOR (the binding of
 * {@code ClusterMessage}) and comes back equal: the start with a whole host scenario (every kind of
 * device, intercepts, per-vCPU workloads, events, Xen options), the events, and the figures with their
 * compressed histogram.
 */
class FleetMessagesSerializationTest {
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("fleet-serialization", ConfigFactory.parseString("""
                akka.actor.serialization-bindings {
                  "org.ioreqsim.sim.cluster.ClusterMessage" = jackson-cbor
                }
                """).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static Object roundTrip(Object message) {
        Serialization serialization = SerializationExtension.get(kit.system());
        var serializer = serialization.findSerializerFor(message);
        assertEquals("akka.serialization.jackson.JacksonCborSerializer", serializer.getClass().getName(),
                message.getClass().getName());
        byte[] bytes = serialization.serialize(message).get();
        return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
                .get();
    }

    @Test
    void aStartCarriesTheWholeHostScenario() throws Exception {
        Scenario host = ScenarioFile.load(Path.of("../examples/scenarios/two-emulators-hotplug.conf"))
                .withXen(ScenarioFile.load(Path.of("../examples/scenarios/two-emulators-hotplug.conf")).xen()
                        .withOptions(org.ioreqsim.ioreq.XenOptions.allFixes()));
        ActorRef<FleetEvent> replyTo = kit.<FleetEvent>createTestProbe().ref();
        FleetHost.Start start = new FleetHost.Start("run-1", host, true, replyTo);
        assertEquals(start, roundTrip(start));
        assertEquals(new FleetHost.Stop("run-1"), roundTrip(new FleetHost.Stop("run-1")));
        assertEquals(new FleetHost.Ended("run-1"), roundTrip(new FleetHost.Ended("run-1")));
    }

    @Test
    void everyFleetScenarioHostRoundTrips() throws Exception {
        Scenario fleet = ScenarioFile.parse("f.conf", Files.readString(Path.of("../examples/scenarios/fleet.conf")));
        for (var h : fleet.fleetHosts()) {
            FleetHost.Start start = new FleetHost.Start("r", h.scenario(), false, kit.<FleetEvent>createTestProbe().ref());
            assertEquals(start, roundTrip(start), h.name());
        }
    }

    @Test
    void eventsAndFiguresRoundTripWithTheirHistogram() {
        Histogram h = HostFigures.emptyHistogram();
        for (long v = 1_000; v < 5_000_000; v = v * 3 / 2) {
            h.recordValue(v);
        }
        HostFigures f = new HostFigures("web-3", "127.0.0.1:25520", 42, 8, 32, 8, 1000, 990,
                Map.of("server-1-0", 900L, "null", 90L), Map.of("OKAY", 990L), 12, 1, 0, 1.5, 660.0, "stalled",
                List.of("d1: H1 orphaned"), List.of("server-2-0: crashed"), List.of("d2 vcpu-0: orphaned"), 1,
                List.of(new RunReport.LifecycleEvent(0.5, "at 500ms", "destroy-server", "d1 server 0", "0"),
                        new RunReport.LifecycleEvent(null, "at 9s", "add-vcpu", "d2", "not reached")),
                HostFigures.encode(h));
        HostFigures back = ((FleetEvent.HostFinished) roundTrip(new FleetEvent.HostFinished("r", f)))
                .figures();
        assertEquals(f, back);
        assertEquals(h, back.latencyHistogram());
        for (FleetEvent e : List.of(new FleetEvent.HostStarted("r", "web-3", "127.0.0.1:25520"),
                new FleetEvent.HostProgress("r", "web-3", 123_456), new FleetEvent.HostFailed("r", "db-0", "-",
                        "no member took the host within 60 s"))) {
            assertEquals(e, roundTrip(e));
        }
    }
}
