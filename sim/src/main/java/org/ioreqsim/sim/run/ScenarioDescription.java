package org.ioreqsim.sim.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.scenario.AccessTemplate;
import org.ioreqsim.sim.scenario.DeviceSpec;
import org.ioreqsim.sim.scenario.DomainGroup;
import org.ioreqsim.sim.scenario.Scenario;

/** A scenario as reports print it. */
final class ScenarioDescription {
    private ScenarioDescription() {
    }

    static Map<String, Object> of(Scenario s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domains", s.totalDomains());
        m.put("vcpus", s.totalVcpus());
        m.put("servers", s.groups().stream().mapToLong(g -> (long) g.count() * g.servers().size()).sum());
        m.put("requestsPerVcpu", s.run().requests());
        if (s.run().requests() <= 0) {
            m.put("durationSeconds", s.run().duration().toMillis() / 1000.0);
        }
        m.put("thinkMicros", s.run().think().toNanos() / 1000.0);
        m.put("loop", s.run().openLoop() ? "open" : "closed");
        if (s.run().openLoop()) {
            m.put("ratePerVcpuPerSec", s.run().ratePerSec());
        }
        m.put("emulators", s.useStubdoms() ? "stubdom" : "dom0");
        m.put("xenOptions", s.xen().options().enabled());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (DomainGroup g : s.groups()) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("count", g.count());
            gm.put("vcpus", g.vcpus());
            gm.put("emulatedVga", g.vga());
            if (!g.intercepts().isEmpty()) {
                gm.put("intercepts", g.intercepts().stream().map(i -> i.name()).toList());
            }
            List<Map<String, Object>> servers = new ArrayList<>();
            for (DomainGroup.ServerSpec srv : g.servers()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("bufioreq", srv.bufioreq().name());
                sm.put("devices", srv.devices().stream().map(DeviceSpec::name).toList());
                servers.add(sm);
            }
            gm.put("servers", servers);
            Map<String, Integer> workload = new LinkedHashMap<>();
            for (AccessTemplate t : g.workload()) {
                workload.merge(t.text(), t.weight(), Integer::sum);
            }
            gm.put("workload", workload);
            for (DomainGroup.VcpuWorkload w : g.vcpuWorkloads()) {
                Map<String, Integer> own = new LinkedHashMap<>();
                w.workload().forEach(t -> own.merge(t.text(), t.weight(), Integer::sum));
                gm.put("workload of vcpus " + w.first() + (w.last() > w.first() ? "-" + w.last() : ""), own);
            }
            groups.add(gm);
        }
        m.put("groups", groups);
        m.put("events", s.events().size());
        return m;
    }
}
