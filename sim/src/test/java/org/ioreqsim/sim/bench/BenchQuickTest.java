package org.ioreqsim.sim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.ioreqsim.sim.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ioreq-sim bench --quick --json} itself, as CI may run it (about a minute: tagged benchmark). */
@Tag("benchmark")
class BenchQuickTest {

    @Test
    void quickJsonHasEveryFigure() throws Exception {
        StringWriter out = new StringWriter();
        int rc = Main.execute(new String[] {"bench", "--quick", "--json"}, new PrintWriter(out),
                new PrintWriter(new StringWriter()));
        assertEquals(0, rc);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals("quick", json.get("mode").asText());
        int measured = 0;
        for (JsonNode f : json.get("figures")) {
            if (!f.get("value").isNull()) {
                measured++;
            }
        }
        assertTrue(measured >= 40, "measured figures: " + measured);
        assertTrue(out.toString().contains("sync.ratio.1x10000"));
        assertTrue(out.toString().contains("buffered.ratio"));
        assertTrue(out.toString().contains("scale.ratio.10000"));
        for (JsonNode f : json.get("figures")) {
            if (f.get("name").asText().startsWith("sync.ratio.") || f.get("name").asText().equals("buffered.ratio")) {
                assertTrue(f.get("value").isNull(), "--quick prints no timed ratio: " + f);
                assertTrue(f.get("config").get("status").asText().contains("--quick"), f.toString());
            }
        }
    }
}
