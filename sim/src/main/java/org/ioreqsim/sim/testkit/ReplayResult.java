package org.ioreqsim.sim.testkit;

import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.stress.Finding;
import org.ioreqsim.sim.stress.Violation;

/**
 * What replaying a stress trace gave.
 *
 * @param digest         the replay's digest
 * @param expectedDigest the digest the trace recorded
 * @param steps          steps the replay ran
 * @param violations     the monitors' violations
 * @param findings       the hazards reached, by name
 * @param divergence     where an exact replay could not follow the recording, or null
 */
public record ReplayResult(String digest, String expectedDigest, int steps, List<Violation> violations,
                           Map<String, Finding> findings, String divergence) {

    public ReplayResult {
        violations = List.copyOf(violations);
        findings = Map.copyOf(findings);
    }

    /** The replay followed the recording and produced the recorded digest. */
    public boolean matches() {
        return divergence == null && digest.equals(expectedDigest);
    }
}
