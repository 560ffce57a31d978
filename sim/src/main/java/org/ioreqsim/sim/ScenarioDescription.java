package org.ioreqsim.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/** A scenario as reports print it. */
final class ScenarioDescription {
    private ScenarioDescription() {
    }

    static Map<String, Object> of(Scenario s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domains", s.domains());
        m.put("vcpusPerDomain", s.vcpus());
        m.put("serversPerDomain", s.servers());
        m.put("requestsPerVcpu", s.requests());
        if (s.requests() <= 0) {
            m.put("durationSeconds", s.duration().toMillis() / 1000.0);
        }
        m.put("thinkMicros", s.think().toNanos() / 1000.0);
        m.put("mix", s.mix().asMap());
        m.put("bufioreqMode", s.bufioreqMode().name());
        m.put("emulatedVga", s.emulatedVga());
        m.put("emulators", s.useStubdoms() ? "stubdom" : "dom0");
        m.put("xenOptions", s.options().enabled());
        return m;
    }
}
