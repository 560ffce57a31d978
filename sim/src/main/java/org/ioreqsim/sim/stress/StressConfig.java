package org.ioreqsim.sim.stress;

import java.util.List;
import java.util.Objects;
import org.ioreqsim.ioreq.XenOptions;

/**
 * What a stress run explores, as given on the command line; each seed draws its own program within
 * these bounds (swarm testing: with {@code swarm}, counts, operation kinds and fault probabilities vary
 * per seed).
 *
 * @param domains   guest domains
 * @param vcpus     vCPUs per domain at start (at most; one more may be hot-plugged)
 * @param servers   emulator clients (servers) per domain (at most)
 * @param ops       operations in each program, all lanes together (at most)
 * @param strategy  {@code random}, {@code pct} or {@code pct-lifecycle}
 * @param depth     PCT depth d (d - 1 priority change points)
 * @param fixes     Xen option flags turned on (names of {@link XenOptions})
 * @param faults    opt-in notification faults: {@code lost}, {@code dup}, {@code delay}
 * @param swarm     vary shape, operation kinds and fault probabilities per seed
 * @param maxSteps  steps after which a schedule counts as a livelock
 * @param features  {@link StressFeature} flags switched on for every seed (the others are swarm's draw);
 *                  absent in traces written before features existed
 */
public record StressConfig(int domains, int vcpus, int servers, int ops, String strategy, int depth,
                           List<String> fixes, List<String> faults, boolean swarm, int maxSteps,
                           List<String> features) {

    public static final List<String> STRATEGIES = List.of("random", "pct", "pct-lifecycle");
    public static final List<String> FAULTS = List.of("lost", "dup", "delay");

    public StressConfig {
        Objects.requireNonNull(strategy, "strategy");
        fixes = List.copyOf(fixes);
        faults = List.copyOf(faults);
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** Without forced features. */
    public StressConfig(int domains, int vcpus, int servers, int ops, String strategy, int depth,
                        List<String> fixes, List<String> faults, boolean swarm, int maxSteps) {
        this(domains, vcpus, servers, ops, strategy, depth, fixes, faults, swarm, maxSteps, List.of());
    }

    /** Whether {@code f} is on for every seed. */
    public boolean forced(StressFeature f) {
        return features.contains(f.flag());
    }

    /** The default stress scenario: one domain, two vCPUs, two emulator clients, 40 operations, PCT d=3. */
    public static StressConfig defaults() {
        return new StressConfig(1, 2, 2, 40, "pct", 3, List.of(), List.of(), true, 20_000);
    }

    public XenOptions options() {
        return XenOptions.of(fixes);
    }

    public StressConfig withStrategy(String s, int d) {
        return new StressConfig(domains, vcpus, servers, ops, s, d, fixes, faults, swarm, maxSteps, features);
    }

    public StressConfig withShape(int d, int v, int s, int o) {
        return new StressConfig(d, v, s, o, strategy, depth, fixes, faults, swarm, maxSteps, features);
    }

    public StressConfig withFixes(List<String> f) {
        return new StressConfig(domains, vcpus, servers, ops, strategy, depth, f, faults, swarm, maxSteps, features);
    }

    public StressConfig withFaults(List<String> f) {
        return new StressConfig(domains, vcpus, servers, ops, strategy, depth, fixes, f, swarm, maxSteps, features);
    }

    public StressConfig withSwarm(boolean on) {
        return new StressConfig(domains, vcpus, servers, ops, strategy, depth, fixes, faults, on, maxSteps, features);
    }

    public StressConfig withFeatures(List<String> f) {
        return new StressConfig(domains, vcpus, servers, ops, strategy, depth, fixes, faults, swarm, maxSteps, f);
    }

    public StressConfig withMaxSteps(int n) {
        return new StressConfig(domains, vcpus, servers, ops, strategy, depth, fixes, faults, swarm, n, features);
    }
}
