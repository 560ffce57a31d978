package org.ioreqsim.sim.stress;

import java.util.List;
import java.util.Objects;

/**
 * A replayable record of one schedule: what ran (seed, configuration, program, fault decisions), the
 * code that ran it, every step (the actor chosen, the message it was given, the model's events), and
 * what came out (digest, violations, findings). {@code ./ioreq-sim replay FILE} runs it again step by
 * step and compares.
 *
 * @param format          {@link #FORMAT}
 * @param seed            the schedule's seed
 * @param testName        what produced it (a stress command line, or a test's name)
 * @param codeVersion     the code that produced it
 * @param config          the run configuration
 * @param strategy        the strategy that chose the steps
 * @param program         the operations (shrunk, if {@code shrunk} is set)
 * @param faults          the notification fault decisions, one character per delivery
 * @param stopOnViolation the schedule stopped at its first violation
 * @param steps           every step
 * @param expect          what the schedule produced
 * @param shrunk          how far it was shrunk, or null
 */
public record StressTrace(String format, long seed, String testName, CodeVersion codeVersion, StressConfig config,
                          String strategy, Program program, String faults, boolean stopOnViolation,
                          List<Step> steps, Expect expect, Shrunk shrunk) {

    public static final String FORMAT = "ioreq-sim-stress-trace/1";

    public StressTrace {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(program, "program");
        steps = List.copyOf(steps);
        Objects.requireNonNull(expect, "expect");
    }

    /** The code that produced a trace: the project version and a fingerprint of the model's classes. */
    public record CodeVersion(String version, String model) {
    }

    /**
     * One step.
     *
     * @param step    its index
     * @param actor   the key of the actor that ran
     * @param message the kind of message it was given
     * @param detail  the message itself (actor uids and hashes removed)
     * @param events  the model's events during the step
     */
    public record Step(int step, String actor, String message, String detail, List<String> events) {
        public Step {
            events = List.copyOf(events);
        }
    }

    /** What the schedule produced. */
    public record Expect(String digest, int steps, List<Violation> violations, List<Finding> findings) {
        public Expect {
            violations = List.copyOf(violations);
            findings = List.copyOf(findings);
        }
    }

    /** How far the trace was shrunk. */
    public record Shrunk(int operations, int preemptions, int originalOperations, int originalPreemptions) {
        /** {@code "N operations, K preemptions"}. */
        public String describe() {
            return operations + " operations, " + preemptions + " preemptions";
        }
    }

    /** The decisions, in order. */
    public List<String> decisions() {
        return steps.stream().map(Step::actor).toList();
    }
}
