package org.ioreqsim.sim.cluster;

/**
 * Something a cluster member hosts, started once the member is Up: the stress feature's campaign coordinator
 * and workers, the fleet feature's sharded hosts. The {@code node} command passes its list of services to
 * {@link ClusterNode#start}; a feature adds itself to that list (features never import each other, so the
 * list lives in the command layer).
 */
@FunctionalInterface
public interface MemberService {
    /**
     * Starts what this service hosts on {@code node} (spawn actors, init singletons or sharding). Called once,
     * after the member is Up, on the thread that started it; it must not block. Services run on every member, whatever its
     * roles: a service that needs workers checks {@code node.hasRole(ClusterSettings.WORKER)}.
     */
    void start(ClusterNode node);
}
