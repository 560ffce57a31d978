package org.ioreqsim.sim.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * How a scenario runs: its seed, how long, and how its vCPUs pace their accesses.
 *
 * @param seed       the one seed of the run; every vCPU derives its generator from it and its identity
 * @param requests   accesses per vCPU (closed loop), or 0 to run for {@code duration}
 * @param duration   run length when {@code requests} is 0
 * @param think      guest time between a completion and the next access (closed loop)
 * @param openLoop   accesses arrive at {@code ratePerSec} per vCPU whatever the completions (latency then
 *                   counts from the arrival); closed loop otherwise
 * @param ratePerSec open-loop arrival rate per vCPU
 */
public record RunSettings(long seed, long requests, Duration duration, Duration think, boolean openLoop,
                          double ratePerSec) {

    /** Seed 1, 20,000 accesses per vCPU, no think time, closed loop. */
    public static final RunSettings DEFAULT = new RunSettings(1, 20_000, Duration.ofSeconds(10), Duration.ZERO,
            false, 0);

    public RunSettings {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(think, "think");
    }

    public RunSettings withSeed(long s) {
        return new RunSettings(s, requests, duration, think, openLoop, ratePerSec);
    }

    /** {@code r} accesses per vCPU, or (with {@code r} = 0) a run of {@code d}. */
    public RunSettings withRequests(long r, Duration d) {
        return new RunSettings(seed, r, d, think, openLoop, ratePerSec);
    }

    public RunSettings withThink(Duration t) {
        return new RunSettings(seed, requests, duration, t, openLoop, ratePerSec);
    }
}
