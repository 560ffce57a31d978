package org.ioreqsim.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.report.ReportDirectory;
import org.ioreqsim.sim.script.ScriptParser;
import org.ioreqsim.sim.script.ScriptReportPage;
import org.ioreqsim.sim.script.ScriptRunner;
import org.ioreqsim.sim.script.Step;
import org.ioreqsim.sim.script.TranscriptLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ioreq-sim script FILE}: runs a scripted scenario deterministically and prints its transcript. */
@Command(name = "script", mixinStandardHelpOptions = true,
        description = "Run a script of Xen operations, guest accesses and emulator actions (docs/scripts.md) "
                + "step by step, deterministically, and print a transcript: one line per step with its result. "
                + "Steps ending in '=> EXPECTED' are checked; any mismatch makes the exit code 1.")
public final class ScriptCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions out = new OutputOptions();

    @Parameters(paramLabel = "FILE", description = "The script.")
    Path file;

    @Override
    public Integer call() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        List<Step> steps = new ScriptParser(file.toString()).parse(lines);
        ReportDirectory dir = out.report == null ? null : new ReportDirectory(out.report);
        if (dir != null) {
            dir.check();
        }
        List<TranscriptLine> transcript;
        try (ScriptRunner runner = new ScriptRunner(steps)) {
            transcript = runner.run();
        }
        ObjectMapper mapper = new ObjectMapper();
        long mismatches = 0;
        long checked = 0;
        for (TranscriptLine t : transcript) {
            spec.commandLine().getOut().println(out.json ? mapper.writeValueAsString(t.json()) : t.render());
            if (t.matched() != null) {
                checked++;
                mismatches += t.matched() ? 0 : 1;
            }
        }
        if (!out.json) {
            spec.commandLine().getOut().printf("%d steps, %d checked, %d mismatched%n", transcript.size(), checked,
                    mismatches);
        }
        if (dir != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("script", file.toString());
            r.put("steps", transcript.stream().map(TranscriptLine::json).toList());
            r.put("checked", checked);
            r.put("mismatched", mismatches);
            spec.commandLine().getOut().flush();
            org.ioreqsim.sim.report.ReportOutput.writeDirectory(spec, dir, r,
                    ScriptReportPage.html(file.toString(), lines, transcript));
        }
        spec.commandLine().getOut().flush();
        return mismatches == 0 ? 0 : Main.RUN_FAILED;
    }
}
