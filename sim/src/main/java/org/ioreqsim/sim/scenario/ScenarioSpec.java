package org.ioreqsim.sim.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.Scenario;

/**
 * A full simulation scenario, as a scenario file describes it: groups of guests with their devices
 * and workloads, lifecycle events during the run, and how long it runs.
 *
 * @param seed       the one seed of the run
 * @param requests   accesses per vCPU (0: run for {@code duration})
 * @param duration   run length when {@code requests} is 0
 * @param think      guest time between accesses (closed loop)
 * @param openLoop   accesses arrive at {@code ratePerSec} per vCPU whatever the completions (latency then
 *                   counts from the arrival); closed loop otherwise
 * @param ratePerSec open-loop arrival rate per vCPU
 * @param emulators  where device models run
 * @param options    Xen version flags
 * @param groups     the guests
 * @param events     lifecycle events, by time
 */
public record ScenarioSpec(long seed, long requests, Duration duration, Duration think, boolean openLoop,
                           double ratePerSec, Scenario.EmulatorPlacement emulators, XenOptions options,
                           List<DomainGroup> groups, List<ScenarioEvent> events) {

    public ScenarioSpec {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(think, "think");
        Objects.requireNonNull(emulators, "emulators");
        Objects.requireNonNull(options, "options");
        groups = List.copyOf(groups);
        events = events.stream().sorted((a, b) -> a.at().compareTo(b.at())).toList();
    }

    public long totalDomains() {
        return groups.stream().mapToLong(DomainGroup::count).sum();
    }

    public long totalVcpus() {
        return groups.stream().mapToLong(g -> (long) g.count() * g.vcpus()).sum();
    }

    /** Whether emulators live in stub domains (AUTO: when dom0's ports would not suffice). */
    public boolean useStubdoms() {
        if (emulators == Scenario.EmulatorPlacement.AUTO) {
            long ports = groups.stream().mapToLong(g -> (long) g.count() * g.servers().size() * (g.vcpus() + 1)).sum();
            return ports > 4000;
        }
        return emulators == Scenario.EmulatorPlacement.STUBDOM;
    }
}
