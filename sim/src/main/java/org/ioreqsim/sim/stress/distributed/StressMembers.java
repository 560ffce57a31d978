package org.ioreqsim.sim.stress.distributed;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.SingletonActor;
import org.ioreqsim.sim.cluster.ClusterNode;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.cluster.MemberService;

/**
 * What the stress feature hosts on a cluster member: the campaign coordinator singleton (on the worker
 * members; every member gets a proxy to it) and, on a worker member, {@code workers} {@link StressWorker}s,
 * each on its own pinned thread.
 */
public final class StressMembers implements MemberService {
    private static final String COORDINATOR = "stress-coordinator";

    private final int workers;

    /** @param workers schedule runners this member offers (its cores, by default) */
    public StressMembers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers " + workers);
        }
        this.workers = workers;
    }

    @Override
    public void start(ClusterNode node) {
        ActorRef<CampaignCoordinator.Command> coordinator = coordinator(node.system());
        if (!node.hasRole(ClusterSettings.WORKER)) {
            return;
        }
        for (int i = 1; i <= workers; i++) {
            node.system().systemActorOf(StressWorker.create(coordinator, node.hostPort()), "stress-worker-" + i,
                    DispatcherSelector.fromConfig(ClusterSettings.PINNED_DISPATCHER));
        }
    }

    /** The coordinator singleton (on a member without the worker role: a proxy to it). */
    static ActorRef<CampaignCoordinator.Command> coordinator(ActorSystem<?> system) {
        return ClusterSingleton.get(system).init(SingletonActor.of(CampaignCoordinator.create(), COORDINATOR)
                .withSettings(ClusterSingletonSettings.create(system).withRole(ClusterSettings.WORKER)));
    }
}
