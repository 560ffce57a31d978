package org.ioreqsim.sim.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped example script runs with all its expectations met, and twice gives the same transcript. */
class ExamplesTest {

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "examples"))) {
            return s.filter(p -> p.toString().endsWith(".ioreq")).sorted().toList().stream();
        }
    }

    static List<TranscriptLine> run(Path file) throws IOException {
        List<Step> steps = new ScriptParser(file.toString()).parse(Files.readAllLines(file));
        try (ScriptRunner r = new ScriptRunner(steps)) {
            return r.run();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void expectationsHoldAndTheTranscriptIsDeterministic(Path file) throws IOException {
        List<TranscriptLine> first = run(file);
        assertFalse(first.isEmpty());
        for (TranscriptLine t : first) {
            assertTrue(t.matched() == null || t.matched(), file + " line " + t.line() + ": " + t.render());
        }
        List<TranscriptLine> second = run(file);
        assertEquals(first.stream().map(TranscriptLine::render).toList(),
                second.stream().map(TranscriptLine::render).toList());
    }
}
