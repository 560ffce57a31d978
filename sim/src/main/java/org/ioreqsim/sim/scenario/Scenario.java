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
 * @param hosts  a fleet scenario's hosts (then {@code groups} and {@code events} are empty: each host has
 *               its own); empty for a scenario of one machine
 */
public record Scenario(RunSettings run, XenSettings xen, List<DomainGroup> groups, List<ScenarioEvent> events,
                       List<HostTemplate> hosts) {

    public Scenario {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(xen, "xen");
        groups = List.copyOf(groups);
        events = events.stream().sorted((a, b) -> a.at().compareTo(b.at())).toList();
        hosts = List.copyOf(hosts);
    }

    /** A scenario of one machine. */
    public Scenario(RunSettings run, XenSettings xen, List<DomainGroup> groups, List<ScenarioEvent> events) {
        this(run, xen, groups, events, List.of());
    }

    /** A fleet scenario: {@code hosts}, each with its own guests and events. */
    public static Scenario fleet(RunSettings run, XenSettings xen, List<HostTemplate> hosts) {
        return new Scenario(run, xen, List.of(), List.of(), hosts);
    }

    /** Whether this scenario describes a fleet of hosts rather than one machine. */
    public boolean fleet() {
        return !hosts.isEmpty();
    }

    /** A fleet's hosts, each with the scenario it runs ({@link HostTemplate#expand}). */
    public List<HostTemplate.Host> fleetHosts() {
        return HostTemplate.expand(hosts, run, xen);
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
        return new Scenario(r, xen, groups, events, hosts);
    }

    public Scenario withXen(XenSettings x) {
        return new Scenario(run, x, groups, events, hosts);
    }

    /** Guest domains, on every host of a fleet. */
    public long totalDomains() {
        return groups.stream().mapToLong(DomainGroup::count).sum()
                + hosts.stream().mapToLong(HostTemplate::totalDomains).sum();
    }

    /** Guest vCPUs, on every host of a fleet. */
    public long totalVcpus() {
        return groups.stream().mapToLong(g -> (long) g.count() * g.vcpus()).sum()
                + hosts.stream().mapToLong(HostTemplate::totalVcpus).sum();
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
