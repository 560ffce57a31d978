package org.ioreqsim.sim.stress.monitor;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.stress.Finding;
import org.ioreqsim.sim.stress.Hazards;
import org.ioreqsim.sim.stress.RaceScenario;
import org.ioreqsim.sim.stress.Violation;

/**
 * Where every checker reports: violations (a rule broken), findings (a known hazard of Xen reached,
 * spec section 16; a violation instead when the Xen option that fixes it is on) and coverage (a race
 * scenario reached). Stamps each report with the step being judged; ignores everything once closed.
 */
public final class Sink {
    /** Past this many violations in one schedule the model is running away. */
    public static final int MAX_VIOLATIONS = 1000;

    private final XenOptions options;
    private final List<Violation> violations = new ArrayList<>();
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private final Map<String, Integer> findingCounts = new TreeMap<>();
    private final EnumSet<RaceScenario> coverage = EnumSet.noneOf(RaceScenario.class);
    private int step = -1;
    private boolean closed;
    private boolean runaway;

    public Sink(XenOptions options) {
        this.options = options;
    }

    /** The step being judged (the index reports carry). */
    public int step() {
        return step;
    }

    void step(int step) {
        this.step = step;
    }

    /**
     * Records a violation. Past {@link #MAX_VIOLATIONS} the model is running away (a loop inside one
     * step that breaks a rule on every turn): the sink records that once and throws {@link Runaway} out
     * of the model's call, which ends the actor's step, and the schedule.
     */
    public void violation(String rule, String detail) {
        if (closed) {
            return;
        }
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(new Violation(rule, detail, step));
            return;
        }
        if (!runaway) {
            runaway = true;
            violations.add(new Violation("harness.runaway", "more than " + MAX_VIOLATIONS
                    + " violations in one schedule; stopped the step that kept breaking rules", step));
        }
        throw new Runaway();
    }

    /** Records a violation even when closed or running away (a hung step). */
    public void violationUnconditionally(String rule, String detail) {
        violations.add(new Violation(rule, detail, step));
    }

    /** Records hazard {@code name}, or a violation if the option that fixes it is on. */
    public void finding(String name, String detail) {
        if (closed) {
            return;
        }
        Hazards.Hazard h = Hazards.ALL.get(name);
        if (h != null && h.fixedBy() != null && options.get(h.fixedBy())) {
            violation(name, detail + " although " + h.fixedBy() + " is on");
            return;
        }
        findings.putIfAbsent(name, new Finding(name, detail, step));
        findingCounts.merge(name, 1, Integer::sum);
    }

    public void cover(RaceScenario s) {
        if (closed) {
            return;
        }
        coverage.add(s);
    }

    public boolean runaway() {
        return runaway;
    }

    public boolean closed() {
        return closed;
    }

    /** The schedule is over: what happens while its world is torn down is not judged. */
    public void close() {
        closed = true;
    }

    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    public boolean failed() {
        return !violations.isEmpty();
    }

    /** The first occurrence of every finding, in order of first occurrence. */
    public Map<String, Finding> findings() {
        return new LinkedHashMap<>(findings);
    }

    public Map<String, Integer> findingCounts() {
        return new TreeMap<>(findingCounts);
    }

    public Set<RaceScenario> coverage() {
        return EnumSet.copyOf(coverage);
    }

    /** Thrown into the model when it keeps breaking rules without end. */
    public static final class Runaway extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Runaway() {
            super("the model is running away", null, false, false);
        }
    }
}
