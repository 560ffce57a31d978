package org.ioreqsim.sim.run;

import akka.actor.typed.ActorRef;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.sim.scenario.DeviceMaps;
import org.ioreqsim.sim.scenario.DomainGroup;

/**
 * A guest domain of a run as the driver keeps track of it: its actor, the group it belongs to, where
 * its device models run, and its emulators by the server id Xen gave them. Touched only by the thread
 * that drives the run.
 */
final class Guest {
    final int domid;
    final ActorRef<Domain.Command> ref;
    final DomainGroup group;
    final int emulatorDomid;
    final Map<Integer, ActorRef<IoreqServer.Command>> emulators = new TreeMap<>();
    /** Server ids whose emulator the run crashed. */
    final Set<Integer> crashed = new HashSet<>();
    boolean destroyed;

    Guest(int domid, ActorRef<Domain.Command> ref, DomainGroup group, int emulatorDomid) {
        this.domid = domid;
        this.ref = ref;
        this.group = group;
        this.emulatorDomid = emulatorDomid;
    }

    /** The QEMU-like emulator of the group's server {@code index}: its devices, ring mode and start-up. */
    EmulatorConfig emulatorConfig(int index) {
        DomainGroup.ServerSpec server = group.servers().get(index);
        return EmulatorConfig.qemu(emulatorDomid, domid, DeviceMaps.build(server), group.vcpus())
                .withBufioreqMode(server.bufioreq()).withResourceMapping(server.resourceMapping())
                .withDefaultServer(server.defaultServer());
    }
}
