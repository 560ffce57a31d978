package org.ioreqsim.sim.stress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.sim.UserInputException;

/** Builds, writes and reads {@link StressTrace}s (JSON). */
public final class Traces {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Traces() {
    }

    /** The trace of {@code r}, which must have been run with details. */
    public static StressTrace of(String testName, StressConfig cfg, String strategy, Program program, ScheduleResult r,
                                 boolean stopOnViolation, StressTrace.Shrunk shrunk) {
        Map<Integer, List<String>> events = new TreeMap<>();
        for (String e : r.events()) {
            int sp = e.indexOf(' ');
            events.computeIfAbsent(Integer.parseInt(e.substring(0, sp)), k -> new ArrayList<>()).add(e.substring(sp + 1));
        }
        List<StressTrace.Step> steps = new ArrayList<>();
        for (int i = 0; i < r.steps(); i++) {
            String detail = i < r.details().size() ? r.details().get(i) : r.messages().get(i);
            steps.add(new StressTrace.Step(i, r.decisions().get(i), r.messages().get(i), detail,
                    events.getOrDefault(i, List.of())));
        }
        StressTrace.Expect expect = new StressTrace.Expect(r.digest(), r.steps(), r.violations(),
                List.copyOf(r.findings().values()));
        return new StressTrace(StressTrace.FORMAT, r.seed(), testName, CodeFingerprint.current(), cfg, strategy, program,
                r.faults(), stopOnViolation, steps, expect, shrunk);
    }

    public static String toJson(StressTrace t) {
        try {
            return JSON.writeValueAsString(t);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a trace: " + e.getOriginalMessage(), e);
        }
    }

    public static void write(Path file, StressTrace t) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, toJson(t));
    }

    /** Parses a trace; anything malformed is a one-line {@link UserInputException}. */
    public static StressTrace fromJson(String text, String where) {
        StressTrace t;
        try {
            t = JSON.readValue(text, StressTrace.class);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage() == null ? "not a trace" : e.getOriginalMessage().split("\n")[0];
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new UserInputException(where + (line > 0 ? ":" + line : "") + ": " + msg);
        } catch (RuntimeException e) {
            throw new UserInputException(where + ": not a stress trace (" + e.getMessage() + ")");
        }
        if (t == null || !StressTrace.FORMAT.equals(t.format())) {
            throw new UserInputException(where + ": not a stress trace (format must be " + StressTrace.FORMAT + ")");
        }
        if (t.config().maxSteps() <= 0 || t.config().domains() <= 0) {
            throw new UserInputException(where + ": config: impossible values");
        }
        return t;
    }

    public static StressTrace read(Path file) {
        try {
            return fromJson(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new UserInputException(file + ": no such file");
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
