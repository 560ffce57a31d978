package org.ioreqsim.sim.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.DomainSnapshot;
import org.ioreqsim.domain.ServerSnapshot;
import org.ioreqsim.sim.exec.RunActors;
import org.ioreqsim.vcpu.VcpuSnapshot;
import org.ioreqsim.vcpu.VcpuState;

/**
 * Finds the vCPUs of a run that can make no more progress: blocked on an ioreq nobody will answer
 * (its server destroyed: orphaned, hazard H1; or its emulator gone), or in a domain left paused.
 */
final class StalledVcpus {
    private StalledVcpus() {
    }

    /**
     * The stalled vCPUs, described, if there are at least {@code running} of them (every workload still
     * running is stuck); otherwise an empty list (some are merely slow).
     */
    static List<String> find(RunActors actors, List<Guest> guests, long running) {
        List<DomainSnapshot> domains = new ArrayList<>();
        for (Guest g : guests) {
            if (!g.destroyed) {
                domains.add(actors.ask(g.ref, Domain.Inspect::new));
            }
        }
        List<String> stalled = new ArrayList<>();
        for (DomainSnapshot d : domains) {
            Guest g = guests.get(d.domid() - 1);
            List<CompletionStage<VcpuSnapshot>> vcpus = new ArrayList<>();
            for (int v : d.vcpuIds()) {
                vcpus.add(actors.askAsync(g.ref, r -> new Domain.InspectVcpu(v, r)));
            }
            for (CompletionStage<VcpuSnapshot> p : vcpus) {
                VcpuSnapshot v = actors.await(p);
                String why = why(d, g, v);
                if (why != null) {
                    stalled.add("d" + d.domid() + "v" + v.vcpuId() + " " + v.describe() + ": " + why);
                }
            }
        }
        return stalled.size() >= running ? stalled : List.of();
    }

    private static String why(DomainSnapshot d, Guest g, VcpuSnapshot v) {
        if (v.state() == VcpuState.BLOCKED_ORPHANED) {
            return "its server was destroyed with the request in flight (orphaned, H1)";
        }
        if (v.state() == VcpuState.BLOCKED_ON_IOREQ) {
            List<String> reasons = new ArrayList<>();
            for (int id : v.pendingServers()) {
                ServerSnapshot s = d.servers().stream().filter(x -> x.id() == id).findFirst().orElse(null);
                if (s == null) {
                    reasons.add("server " + id + " no longer exists");
                } else if (g.crashed.contains(id) && !g.emulators.containsKey(id)) {
                    reasons.add("server " + id + "'s emulator crashed");
                } else if (!g.emulators.containsKey(id)) {
                    reasons.add("server " + id + " has no emulator");
                } else {
                    reasons.add("server " + id + "'s emulator does not answer");
                }
            }
            return String.join(", ", reasons);
        }
        if (d.pauseCount() > 0) {
            return "its domain is paused";
        }
        return null;
    }
}
