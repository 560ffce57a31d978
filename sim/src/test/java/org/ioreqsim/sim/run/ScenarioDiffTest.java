package org.ioreqsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ioreqsim.sim.scenario.Scenario;
import org.ioreqsim.sim.scenario.ScenarioFile;
import org.junit.jupiter.api.Test;

/**
 * A scenario before the seed commit and at it (spec section 14: the default server takes whatever no
 * other server claims; section 5.1: now the null handler does).
 */
class ScenarioDiffTest {

    @Test
    void unclaimedAccessesMoveFromTheDefaultServerToTheNullHandler() {
        Scenario s = ScenarioFile.parse("d.conf", """
                requests = 200
                domains = [ {
                  count = 2, vcpus = 2
                  intercepts = [ { name = pit, space = pio, start = 0x40, length = 4 } ]
                  servers = [ { devices = [ { kind = uart, port = 0x3f8 } ] } ]
                  workload = [
                    { weight = 1, access = "pio write 0x3f8 size=1" }
                    { weight = 1, access = "pio read 0x2f8 size=1" }
                    { weight = 1, access = "mmio read 0xe0000000-0xe0000fff size=4" }
                    { weight = 1, access = "pio read 0x40 size=1" }
                  ]
                } ]
                """);
        ScenarioDiff.Report r = ScenarioDiff.run(s);
        Map<String, ScenarioDiff.Row> rows = r.rows().stream()
                .collect(Collectors.toMap(ScenarioDiff.Row::access, Function.identity()));
        ScenarioDiff.Row port = rows.get("pio read 0x2f8 size=1");
        assertEquals("default-to-null", port.change());
        assertEquals(port.readsBefore(), port.readsNow(), "the same accesses on both sides");
        assertEquals(Map.of("server-D-0 (default)", port.readsBefore()), port.before());
        assertEquals(Map.of("null", port.readsNow()), port.now());
        assertEquals(port.readsNow(), port.allOnesReadsNow(), "the null handler answers all ones (section 5.1)");
        assertEquals("default-to-null", rows.get("mmio read 0xe0000000-0xe0000fff size=4").change());
        assertEquals("default-to-server", rows.get("pio write 0x3f8 size=1").change(),
                "the UART's own server now registers what the default server used to catch");
        assertEquals("same", rows.get("pio read 0x40 size=1").change(), "Xen's PIT comes first in both (section 5)");
        long all = r.rows().stream().flatMap(x -> x.now().values().stream()).mapToLong(Long::longValue).sum();
        assertEquals(2 * 2 * 200, all, "both runs issue exactly the requested accesses");
        assertEquals(all - rows.get("pio read 0x40 size=1").now().values().iterator().next(), r.changedAccesses());
    }
}
