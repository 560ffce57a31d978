package org.ioreqsim.sim.stress;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a stress run found, as printed and as {@code --json}.
 *
 * @param mode            {@code controlled} or {@code free}
 * @param config          the run configuration
 * @param strategy        the strategy
 * @param firstSeed       the first seed
 * @param schedules       schedules run (one per seed)
 * @param seconds         wall time of the schedules (not of trace writing and shrinking)
 * @param schedulesPerSec schedules per second
 * @param steps           steps run, all schedules together
 * @param stepsPerSec     steps per second
 * @param workers         threads that ran schedules
 * @param violations      schedules that broke a rule
 * @param violationList   the first violation of each failing schedule (traces for the first few)
 * @param findings        hazards reached, by name
 * @param coverage        race scenarios, by key
 * @param digest          the digest of the last schedule (with {@code --seed}: of that schedule)
 * @param runDigest       a digest over every schedule's digest, in seed order
 * @param asked           schedules asked for ({@code schedules} is fewer when the run was interrupted)
 * @param interrupted     stopped early (Ctrl-C): the figures cover the schedules that finished
 * @param members         per cluster member, for a campaign run on a cluster ({@code stress --cluster}); empty
 *                        (and absent from the JSON) for a local run
 * @param lost            for a campaign on a cluster that lost every worker before it finished: why, and which
 *                        seeds did not run (the figures cover the others); null (absent from the JSON) otherwise
 */
public record StressReport(String mode, StressConfig config, String strategy, long firstSeed, int schedules,
                           double seconds, double schedulesPerSec, long steps, double stepsPerSec, int workers,
                           int violations, List<ViolationEntry> violationList, Map<String, FindingEntry> findings,
                           Map<String, CoverageEntry> coverage, String digest, String runDigest,
                           int asked, boolean interrupted,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<MemberEntry> members,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Lost lost) {

    public StressReport {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** A local run's report (no cluster members). */
    public StressReport(String mode, StressConfig config, String strategy, long firstSeed, int schedules,
                        double seconds, double schedulesPerSec, long steps, double stepsPerSec, int workers,
                        int violations, List<ViolationEntry> violationList, Map<String, FindingEntry> findings,
                        Map<String, CoverageEntry> coverage, String digest, String runDigest,
                        int asked, boolean interrupted) {
        this(mode, config, strategy, firstSeed, schedules, seconds, schedulesPerSec, steps, stepsPerSec, workers,
                violations, violationList, findings, coverage, digest, runDigest, asked, interrupted, List.of(), null);
    }

    /** The same report with per-member figures. */
    public StressReport withMembers(List<MemberEntry> m) {
        return new StressReport(mode, config, strategy, firstSeed, schedules, seconds, schedulesPerSec, steps,
                stepsPerSec, workers, violations, violationList, findings, coverage, digest, runDigest, asked,
                interrupted, m, lost);
    }

    /** The same report of a campaign that ended because every worker was lost: not interrupted, but lost. */
    public StressReport withLost(Lost l) {
        return new StressReport(mode, config, strategy, firstSeed, schedules, seconds, schedulesPerSec, steps,
                stepsPerSec, workers, violations, violationList, findings, coverage, digest, runDigest, asked,
                false, members, l);
    }

    /**
     * Why a campaign on a cluster ended before every seed ran, and what did not run.
     *
     * @param reason  what happened, as the cluster client saw it (every worker member lost, this process downed)
     * @param seeds   seeds that did not run
     * @param notRun  those seeds as ranges, {@code first..last} (a single seed as itself), in seed order
     */
    public record Lost(String reason, int seeds, List<String> notRun) {
        public Lost {
            notRun = List.copyOf(notRun);
        }

        /** The seeds of {@code firstSeed .. firstSeed + done.length - 1} whose {@code done} entry is false. */
        public static Lost of(String reason, long firstSeed, boolean[] done) {
            List<String> ranges = new java.util.ArrayList<>();
            int missing = 0;
            for (int i = 0; i < done.length; i++) {
                if (done[i]) {
                    continue;
                }
                int j = i;
                while (j + 1 < done.length && !done[j + 1]) {
                    j++;
                }
                missing += j - i + 1;
                ranges.add(i == j ? String.valueOf(firstSeed + i) : (firstSeed + i) + ".." + (firstSeed + j));
                i = j;
            }
            return new Lost(reason, missing, ranges);
        }

        /** The ranges not run, the first {@code max} of them and a count of the rest. */
        public String describe(int max) {
            String shown = String.join(", ", notRun.subList(0, Math.min(max, notRun.size())));
            return notRun.size() <= max ? shown : shown + String.format(Locale.ROOT, " and %d more range%s",
                    notRun.size() - max, notRun.size() - max == 1 ? "" : "s");
        }
    }

    /**
     * What one cluster member did in a campaign.
     *
     * @param member      its address, {@code HOST:PORT}
     * @param workers     its workers that ran seeds
     * @param schedules   seeds whose result counted (a seed run twice, after a member was lost, counts once)
     * @param steps       steps of those schedules
     * @param busySeconds time its workers spent running schedules, re-runs included
     * @param reruns      schedules it ran whose seed had already been counted (the range of a lost member)
     */
    public record MemberEntry(String member, int workers, int schedules, long steps, double busySeconds, int reruns) {
    }

    /** One failing schedule. */
    public record ViolationEntry(long seed, String rule, String detail, int step, String trace, String junit,
                                 String shrunk) {
    }

    /** One hazard: in how many schedules, first at which seed, and what it is. */
    public record FindingEntry(int schedules, long firstSeed, String description, String fixedBy, String example,
                               String trace) {
    }

    /** One race scenario: reached or not, how often, first at which seed. */
    public record CoverageEntry(String description, boolean reached, int schedules, long firstSeed) {
    }

    /** The human-readable summary. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        if (lost != null) {
            sb.append(String.format(Locale.ROOT, "LOST: %s; %,d of %,d schedules finished, %,d seeds did not run (%s); "
                    + "the figures below cover the finished ones (violation traces unshrunk)%n", lost.reason(),
                    schedules, asked, lost.seeds(), lost.describe(8)));
        }
        if (interrupted) {
            sb.append(String.format(Locale.ROOT, "INTERRUPTED: %,d of %,d schedules finished before Ctrl-C; the "
                    + "figures below cover those (violation traces unshrunk)%n", schedules, asked));
        }
        sb.append(String.format(Locale.ROOT, "ioreq-sim stress: %,d schedules (%s, seeds %d..%d), %s execution, "
                + "%d worker%s%n", schedules, strategy, firstSeed, firstSeed + asked - 1, mode, workers,
                workers == 1 ? "" : "s"));
        sb.append(String.format(Locale.ROOT, "  %,.1f schedules/s, %,.0f steps/s (%,d steps in %.2f s)%n",
                schedulesPerSec, stepsPerSec, steps, seconds));
        sb.append(String.format(Locale.ROOT, "  shape: %d domain(s) x up to %d vCPUs, up to %d servers, up to %d ops%s%s%n",
                config.domains(), config.vcpus(), config.servers(), config.ops(),
                config.fixes().isEmpty() ? ", seed behaviour" : ", fixes: " + String.join(",", config.fixes()),
                config.faults().isEmpty() ? "" : ", faults: " + String.join(",", config.faults())));
        sb.append(String.format(Locale.ROOT, "violations: %d%n", violations));
        for (ViolationEntry v : violationList) {
            sb.append(String.format(Locale.ROOT, "  seed %d: %s at step %d: %s%n", v.seed(), v.rule(), v.step(),
                    v.detail()));
            if (v.trace() != null) {
                sb.append("    trace: ").append(v.trace());
                if (v.shrunk() != null) {
                    sb.append(" (shrunk to ").append(v.shrunk()).append(')');
                }
                sb.append(System.lineSeparator());
            }
            if (v.junit() != null) {
                sb.append("    junit: ").append(v.junit()).append(System.lineSeparator());
            }
        }
        sb.append(String.format(Locale.ROOT, "findings (known Xen hazards, not failures): %s%n",
                findings.isEmpty() ? "none" : ""));
        findings.forEach((name, f) -> sb.append(String.format(Locale.ROOT, "  %-16s %6d schedule%s, first seed %d%s%n",
                name, f.schedules(), f.schedules() == 1 ? " " : "s", f.firstSeed(),
                f.trace() == null ? "" : "  trace: " + f.trace())));
        sb.append("coverage:").append(System.lineSeparator());
        coverage.forEach((k, c) -> sb.append(String.format(Locale.ROOT, "  %-40s %s%n", c.description(),
                c.reached() ? String.format(Locale.ROOT, "reached in %d schedule%s, first seed %d", c.schedules(),
                        c.schedules() == 1 ? "" : "s", c.firstSeed()) : "not reached")));
        if (!members.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "cluster members: %d%n", members.size()));
            for (MemberEntry m : members) {
                sb.append(String.format(Locale.ROOT, "  %-24s %2d worker%s %,8d schedules %,12d steps %8.2f s busy%s%n",
                        m.member(), m.workers(), m.workers() == 1 ? " " : "s", m.schedules(), m.steps(),
                        m.busySeconds(), m.reruns() == 0 ? "" : String.format(Locale.ROOT, " (%d re-run)", m.reruns())));
            }
        }
        sb.append("digest: ").append(digest).append(System.lineSeparator());
        if (schedules > 1) {
            sb.append("run digest: ").append(runDigest).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
