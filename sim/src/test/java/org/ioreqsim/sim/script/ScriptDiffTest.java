package org.ioreqsim.sim.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed against the Xen before it (spec 13, 14): which answers and routes changed. */
class ScriptDiffTest {

    @Test
    void theDefaultServerRemovalChangesParamsIdsAndTheRouteOfUnclaimedIo() throws IOException {
        Path f = Path.of("..", "examples", "13-default-server-removal.ioreq");
        List<ScriptDiff.Difference> d = ScriptDiff.diff(new ScriptParser(f.toString()).parse(Files.readAllLines(f)));
        assertEquals(List.of(7, 8, 9, 10, 12), d.stream().map(ScriptDiff.Difference::line).toList());
        assertEquals("-61 ENODATA", d.get(0).seed());
        assertEquals("0 value=0x2", d.get(0).beforeSeed(), "the default server's bufioreq port, published in param 26");
        assertEquals("0 id=1", d.get(2).beforeSeed(), "explicit servers start at id 1 before the seed");
        assertEquals("-1 EPERM", d.get(3).beforeSeed(), "destroy(0) is refused before the seed");
        assertEquals("done value=0xff reps=1 route=null", d.get(4).seed());
        assertEquals("blocked vcpu=BLOCKED_ON_IOREQ(0)", d.get(4).beforeSeed(), "the default server takes it");
    }
}
