package org.ioreqsim.sim.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ioreqsim.domain.DomainSnapshot;
import org.ioreqsim.domain.DomainState;
import org.ioreqsim.sim.scenario.DomainGroup;

/**
 * How evenly a run served identical guests: per group of the scenario, the spread of completed
 * operations per guest, per vCPU and per server slot, with Jain's fairness index
 * {@code (sum x)^2 / (n * sum x^2)} (1 when every member got the same, 1/n when one got everything).
 *
 * <p>Guests that a lifecycle event touched (a hotplug, a pause, a destroyed server, ...) are no longer
 * identical to the rest of their group: they are left out of the spread and named. A guest that is
 * still running at the end and completed nothing is reported as starved, in the group and as a
 * finding of the run.
 */
public final class Fairness {
    private Fairness() {
    }

    /**
     * One figure over the members of a group: how many, the least, the median, the most, and Jain's
     * index ({@code null} when every member completed nothing).
     */
    public record Spread(int members, long min, long median, long max, Double jainIndex) {
        static Spread of(long[] values) {
            if (values.length == 0) {
                return new Spread(0, 0, 0, 0, null);
            }
            long[] v = values.clone();
            Arrays.sort(v);
            double sum = 0;
            double squares = 0;
            for (long x : v) {
                sum += x;
                squares += (double) x * x;
            }
            Double jain = squares == 0 ? null : Math.round(sum * sum / (v.length * squares) * 10_000) / 10_000.0;
            return new Spread(v.length, v[0], v[v.length / 2], v[v.length - 1], jain);
        }
    }

    /**
     * One group of identical guests.
     *
     * @param group        the group's position in the scenario, from 1
     * @param domids       the guests' domids, {@code first..last}
     * @param compared     guests in the spreads (the group less those events touched)
     * @param leftOut      guests left out because a lifecycle event touched them
     * @param perGuest     completed operations per guest (every vCPU it had, hotplugged ones included)
     * @param perVcpu      completed operations per vCPU of the compared guests
     * @param perServer    completions handled per server slot k ({@code server-<domid>-k}), one spread per slot
     * @param starved      running guests of the group (compared or not) that completed nothing
     */
    public record Group(int group, String domids, int compared, List<Integer> leftOut, Spread perGuest,
                        Spread perVcpu, List<Spread> perServer, List<Integer> starved) {
    }

    /** What one vCPU's workload completed. */
    record VcpuCount(int domid, int vcpu, long completed) {
    }

    static List<Group> of(List<DomainGroup> groups, List<VcpuCount> vcpus, Map<String, Long> byRoute,
                          Set<Integer> touched, List<DomainSnapshot> domains) {
        int maxDomid = groups.stream().mapToInt(DomainGroup::count).sum();
        long[] perGuest = new long[maxDomid + 1];
        List<List<Long>> perGuestVcpus = new ArrayList<>();
        for (int d = 0; d <= maxDomid; d++) {
            perGuestVcpus.add(new ArrayList<>());
        }
        for (VcpuCount v : vcpus) {
            if (v.domid() >= 1 && v.domid() <= maxDomid) {
                perGuest[v.domid()] += v.completed();
                perGuestVcpus.get(v.domid()).add(v.completed());
            }
        }
        boolean[] running = new boolean[maxDomid + 1];
        for (DomainSnapshot d : domains) {
            if (d.domid() >= 1 && d.domid() <= maxDomid) {
                running[d.domid()] = d.state() == DomainState.RUNNING && d.pauseCount() == 0;
            }
        }
        List<Group> out = new ArrayList<>();
        int first = 1;
        for (int gi = 0; gi < groups.size(); gi++) {
            DomainGroup g = groups.get(gi);
            int last = first + g.count() - 1;
            List<Long> guests = new ArrayList<>();
            List<Long> vcpuCounts = new ArrayList<>();
            List<Integer> leftOut = new ArrayList<>();
            List<Integer> starved = new ArrayList<>();
            List<List<Long>> servers = new ArrayList<>();
            g.servers().forEach(s -> servers.add(new ArrayList<>()));
            for (int d = first; d <= last; d++) {
                if (running[d] && perGuest[d] == 0) {
                    starved.add(d);
                }
                if (touched.contains(d)) {
                    leftOut.add(d);
                    continue;
                }
                guests.add(perGuest[d]);
                vcpuCounts.addAll(perGuestVcpus.get(d));
                for (int k = 0; k < servers.size(); k++) {
                    servers.get(k).add(byRoute.getOrDefault("server-" + d + "-" + k, 0L));
                }
            }
            out.add(new Group(gi + 1, first == last ? "d" + first : "d" + first + "..d" + last, guests.size(),
                    leftOut, Spread.of(toArray(guests)), Spread.of(toArray(vcpuCounts)),
                    servers.stream().map(s -> Spread.of(toArray(s))).toList(), starved));
            first = last + 1;
        }
        return out;
    }

    /** The findings of a run's fairness: one line per starved guest. */
    static List<String> findings(List<Group> groups) {
        Set<Integer> starved = new TreeSet<>();
        groups.forEach(g -> starved.addAll(g.starved()));
        List<String> out = new ArrayList<>();
        starved.forEach(d -> out.add("d" + d + ": running to the end, it completed no operation (starved)"));
        return out;
    }

    /** The columns of {@link #rows}. */
    public static final List<String> COLUMNS = List.of("group", "completions per", "members", "min", "median", "max",
            "Jain's index");

    /**
     * One row per spread (per guest, per vCPU, per server slot) of every group, for the console and the
     * HTML page alike.
     */
    public static List<List<Object>> rows(List<Group> groups) {
        List<List<Object>> out = new ArrayList<>();
        for (Group g : groups) {
            String name = g.group() + " (" + g.domids() + ")";
            if (g.compared() == 0) {
                out.add(List.of(name, "-", "0", "", "", "", "none compared"));
                continue;
            }
            out.add(row(name, "guest", g.perGuest()));
            out.add(row("", "vCPU", g.perVcpu()));
            for (int k = 0; k < g.perServer().size(); k++) {
                out.add(row("", "server " + k, g.perServer().get(k)));
            }
        }
        return out;
    }

    /** What the table leaves out: guests touched by events, and starved ones; empty when there is nothing to say. */
    public static List<String> notes(List<Group> groups) {
        List<String> out = new ArrayList<>();
        for (Group g : groups) {
            if (!g.leftOut().isEmpty()) {
                out.add("group " + g.group() + ": " + g.leftOut().size() + " guest(s) left out of the comparison "
                        + "because lifecycle events touched them: " + domids(g.leftOut()));
            }
            if (!g.starved().isEmpty()) {
                out.add("group " + g.group() + ": STARVED, running to the end with no completion: "
                        + domids(g.starved()));
            }
        }
        return out;
    }

    private static String domids(List<Integer> ids) {
        StringBuilder sb = new StringBuilder();
        ids.stream().limit(20).forEach(d -> sb.append(sb.length() == 0 ? "" : ", ").append('d').append(d));
        if (ids.size() > 20) {
            sb.append(" and ").append(ids.size() - 20).append(" more");
        }
        return sb.toString();
    }

    private static List<Object> row(String group, String per, Spread s) {
        return List.of(group, per, String.format("%,d", s.members()), String.format("%,d", s.min()),
                String.format("%,d", s.median()), String.format("%,d", s.max()),
                s.jainIndex() == null ? "n/a (all zero)" : String.format("%.4f", s.jainIndex()));
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
