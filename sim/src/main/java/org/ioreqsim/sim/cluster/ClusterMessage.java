package org.ioreqsim.sim.cluster;

/**
 * Marks a message that crosses the network between cluster members. The cluster configuration binds this
 * interface to Akka's Jackson CBOR serializer, so every record that implements it (directly or through its
 * protocol's sealed interface) is sent as CBOR; a message that does not round-trip fails the tests that run
 * with {@code akka.actor.serialize-messages = on}, not a campaign.
 */
public interface ClusterMessage {
}
