package org.ioreqsim.sim.run.fleet;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.ShardCoordinator;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.ShardingMessageExtractor;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import java.util.function.Supplier;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.exec.HostSystem;

/**
 * Fleet hosts sharded over the members that have the role {@value #ROLE} (the workers): one host per shard, so each
 * host is placed on its own; a new host goes to the member holding the fewest, and hosts never move while
 * they run (a host's machine lives in its member's memory: moving it would lose its run), and are never
 * passivated. A member without the role (the {@code run --cluster} client) reaches them through a proxy.
 */
public final class FleetHosting {
    /** The cluster role of members that hold fleet hosts: the workers. */
    public static final String ROLE = ClusterSettings.WORKER;

    private FleetHosting() {
    }

    /**
     * Makes {@code system}'s member hold fleet hosts (it must have the role {@value #ROLE}); their machines
     * run in one {@link HostSystem} of this member, started with the first host and stopped with
     * {@code system}. Returns the shard region.
     */
    public static ActorRef<ShardingEnvelope<FleetHost.Command>> host(ActorSystem<?> system) {
        Machines machines = new Machines(system.name() + "-hosts");
        system.getWhenTerminated().thenRunAsync(machines::close);
        return init(system, machines);
    }

    /** The region of fleet hosts seen from {@code system}: a proxy on a member without the role. */
    public static ActorRef<ShardingEnvelope<FleetHost.Command>> proxy(ActorSystem<?> system) {
        return init(system, () -> {
            throw new IllegalStateException("a member without the role " + ROLE + " holds no fleet host");
        });
    }

    private static ActorRef<ShardingEnvelope<FleetHost.Command>> init(ActorSystem<?> system,
                                                                      Supplier<HostSystem> machines) {
        String member = member(system);
        return ClusterSharding.get(system).init(Entity.of(FleetHost.KEY,
                        ctx -> FleetHost.create(ctx.getEntityId(), member, machines))
                .withRole(ROLE)
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy())
                .withMessageExtractor(new OneHostPerShard())
                .withAllocationStrategy(new ShardCoordinator.LeastShardAllocationStrategy(Integer.MAX_VALUE, 1)));
    }

    /** {@code host:port} of {@code system}'s member. */
    static String member(ActorSystem<?> system) {
        akka.actor.Address a = Cluster.get(system).selfMember().address();
        return a.getHost().orElse("?") + ":" + a.getPort().map(String::valueOf).orElse("?");
    }

    /** Each host its own shard. */
    static final class OneHostPerShard extends ShardingMessageExtractor<ShardingEnvelope<FleetHost.Command>,
            FleetHost.Command> {
        @Override
        public String entityId(ShardingEnvelope<FleetHost.Command> envelope) {
            return envelope.entityId();
        }

        @Override
        public String shardId(String entityId) {
            return entityId;
        }

        @Override
        public FleetHost.Command unwrapMessage(ShardingEnvelope<FleetHost.Command> envelope) {
            return envelope.message();
        }
    }

    /** The member's {@link HostSystem}, started on first use. */
    private static final class Machines implements Supplier<HostSystem> {
        private final String name;
        private HostSystem system;
        private boolean closed;

        Machines(String name) {
            this.name = name;
        }

        @Override
        public synchronized HostSystem get() {
            if (closed) {
                throw new IllegalStateException("the member is shutting down");
            }
            if (system == null) {
                system = new HostSystem(name);
            }
            return system;
        }

        synchronized void close() {
            closed = true;
            if (system != null) {
                system.close();
            }
        }
    }
}
