package org.ioreqsim.sim.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ioreqsim.sim.report.ReportOutput;
import org.ioreqsim.sim.stress.Replay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ioreq-sim replay FILE}: runs a stress trace again, step by step, and checks its digest. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a stress trace (written by 'ioreq-sim stress') exactly: the same program, the "
                + "same scheduling decision at every step, the same fault decisions; then compare the digest.",
            "Exit code 0 if the replay reproduced the trace, 1 if it diverged or its digest differs."})
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions out = new OutputOptions();

    @Parameters(index = "0", paramLabel = "FILE", description = "A .trace.json file.")
    Path file;

    @Option(names = "--steps", description = "Print every step: the actor, the message, the model's events.")
    boolean steps;

    @Override
    public Integer call() throws Exception {
        ReportOutput<Map<String, Object>> output = new ReportOutput<>(spec, out.json, out.report);
        Replay replay = Replay.of(file, steps || out.report != null);
        output.emit(replay.verdict(), x -> replay.render(steps), x -> replay.html());
        return replay.matches() ? 0 : 1;
    }
}
