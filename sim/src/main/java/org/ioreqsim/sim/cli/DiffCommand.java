package org.ioreqsim.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ioreqsim.sim.script.ScriptDiff;
import org.ioreqsim.sim.script.ScriptParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ioreq-sim diff}: the same input at the seed commit and before it. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Run the same script with Xen as of the seed commit (2c257bd6, default ioreq server removed) "
                + "and as before it (legacyDefaultServer), and list every step whose result or side effects differ: "
                + "dm_op and param answers, and accesses handled by the default server before and the null handler now.")
public final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCRIPT", description = "A script (docs/scripts.md).")
    Path file;

    @Option(names = "--json", description = "One JSON object with every difference.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        List<ScriptDiff.Difference> diffs = ScriptDiff.diff(new ScriptParser(file.toString()).parse(lines));
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(java.util.Map.of(
                    "script", file.toString(), "differences", diffs.stream().map(ScriptDiff.Difference::json).toList())));
        } else {
            diffs.forEach(d -> spec.commandLine().getOut().print(d.render()));
            spec.commandLine().getOut().printf("%d step(s) differ between the seed and the Xen before it%n",
                    diffs.size());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
