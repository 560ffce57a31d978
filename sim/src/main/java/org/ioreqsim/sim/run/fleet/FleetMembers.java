package org.ioreqsim.sim.run.fleet;

import org.ioreqsim.sim.cluster.ClusterNode;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.cluster.MemberService;

/**
 * What the fleet feature hosts on a cluster member: on a worker member, the shard region of
 * {@link FleetHost}s (the hosts of the fleet runs submitted to the cluster). A member without the worker
 * role holds no host; it reaches them through a proxy when it submits a run ({@link FleetRun}).
 */
public final class FleetMembers implements MemberService {

    @Override
    public void start(ClusterNode node) {
        if (node.hasRole(ClusterSettings.WORKER)) {
            FleetHosting.host(node.system());
        }
    }
}
