package org.ioreqsim.sim.scenario;

import java.util.List;
import java.util.Objects;

/**
 * A simulation scenario, the one type every way of starting a run produces (a scenario file, {@code run}'s
 * flags, a diff): how it runs, on which Xen, the guests with their devices and workloads, and lifecycle
 * events during the run. Each component is a settings record read from its own part of a scenario file.
 *
 * @param run    seed, length and pacing
 * @param xen    Xen version and where emulators run
 * @param groups the guests
 * @param events lifecycle events, in trigger order
 */
public record Scenario(RunSettings run, XenSettings xen, List<DomainGroup> groups, List<ScenarioEvent> events) {

    public Scenario {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(xen, "xen");
        groups = List.copyOf(groups);
        events = events.stream().sorted((a, b) -> a.at().compareTo(b.at())).toList();
    }

    /** The scenario of {@code run}'s flags: {@code guests}, no lifecycle events. */
    public static Scenario builtIn(BuiltInGuests guests, RunSettings run, XenSettings xen) {
        return new Scenario(run, xen, List.of(guests.group()), List.of());
    }

    /** The built-in default scenario ({@code ./ioreq-sim run} without flags). */
    public static Scenario defaults() {
        return builtIn(BuiltInGuests.DEFAULT, RunSettings.DEFAULT, XenSettings.DEFAULT);
    }

    public Scenario withRun(RunSettings r) {
        return new Scenario(r, xen, groups, events);
    }

    public Scenario withXen(XenSettings x) {
        return new Scenario(run, x, groups, events);
    }

    public long totalDomains() {
        return groups.stream().mapToLong(DomainGroup::count).sum();
    }

    public long totalVcpus() {
        return groups.stream().mapToLong(g -> (long) g.count() * g.vcpus()).sum();
    }

    /** Whether emulators live in stub domains (AUTO: when dom0's ports would not suffice). */
    public boolean useStubdoms() {
        if (xen.emulators() == EmulatorPlacement.AUTO) {
            long ports = groups.stream().mapToLong(g -> (long) g.count() * g.servers().size() * (g.vcpus() + 1)).sum();
            return ports > 4000;
        }
        return xen.emulators() == EmulatorPlacement.STUBDOM;
    }
}
