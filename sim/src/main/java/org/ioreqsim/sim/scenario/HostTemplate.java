package org.ioreqsim.sim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code count} identical Xen hosts of a fleet scenario: each a hypervisor with its own guests (the
 * domain groups, domids from 1 on every host) and their emulators, and its own lifecycle events. The
 * hosts are named {@code name-0} .. {@code name-(count-1)}; a host is the unit a fleet run distributes.
 *
 * @param name   the template's name, the prefix of its hosts' names
 * @param count  how many such hosts
 * @param groups the guests of each host
 * @param events lifecycle events of each host, on its own clock and domids
 */
public record HostTemplate(String name, int count, List<DomainGroup> groups, List<ScenarioEvent> events) {

    public HostTemplate {
        Objects.requireNonNull(name, "name");
        groups = List.copyOf(groups);
        events = List.copyOf(events);
    }

    /** One host of the fleet: its name, its index in the fleet, and the scenario it runs. */
    public record Host(String name, int index, Scenario scenario) {
    }

    /**
     * Every host of {@code templates} in order, each with the scenario it runs: the fleet's run and Xen
     * settings, its template's guests and events, and a seed of its own derived from the fleet's seed and
     * the host's index (so identical hosts do not issue identical accesses, and a host's accesses do not
     * depend on where it runs).
     */
    public static List<Host> expand(List<HostTemplate> templates, RunSettings run, XenSettings xen) {
        List<Host> out = new ArrayList<>();
        for (HostTemplate t : templates) {
            for (int i = 0; i < t.count; i++) {
                int index = out.size();
                out.add(new Host(t.name + "-" + i, index, new Scenario(run.withSeed(hostSeed(run.seed(), index)), xen,
                        t.groups, t.events)));
            }
        }
        return out;
    }

    /** The seed of host {@code index} of a fleet run with {@code seed}: a SplitMix64 step of both. */
    public static long hostSeed(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long totalDomains() {
        return (long) count * groups.stream().mapToLong(DomainGroup::count).sum();
    }

    public long totalVcpus() {
        return (long) count * groups.stream().mapToLong(g -> (long) g.count() * g.vcpus()).sum();
    }
}
