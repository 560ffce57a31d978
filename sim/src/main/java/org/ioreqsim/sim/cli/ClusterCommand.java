package org.ioreqsim.sim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.cluster.LocalMembers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ioreq-sim cluster}: a cluster of members on this machine. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Local clusters (for a demo or a test).",
        subcommands = {ClusterCommand.Up.class})
public final class ClusterCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (up)");
    }

    /** {@code ioreq-sim cluster up --nodes N}: N member JVMs on loopback until Ctrl-C. */
    @Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Start N cluster members on 127.0.0.1, each its own JVM ('ioreq-sim node'), the first the "
                    + "seed node of the others; print where they listen; stop them all on Ctrl-C."})
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", description = "Members to start (default: ${DEFAULT-VALUE}).", defaultValue = "3")
        int nodes;

        @Option(names = "--base-port", description = "Port of the first member; the others follow "
                + "(default: ${DEFAULT-VALUE}).", defaultValue = "25520")
        int basePort;

        @Option(names = "--workers", description = "Workers per member (default: the CPUs divided among the members, "
                + "at least 1).")
        Integer workers;

        @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file of Akka settings for every member.")
        Path config;

        @Option(names = "--heap", description = "Each member's heap, -Xmx (default: ${DEFAULT-VALUE}).",
                defaultValue = "1g")
        String heap;

        @Override
        public Integer call() throws InterruptedException {
            if (nodes < 1 || nodes > 32) {
                throw new UserInputException("--nodes must be 1..32");
            }
            if (basePort < 1 || basePort > 65535) {
                throw new UserInputException("--base-port must be 1..65535");
            }
            if (!heap.matches("[0-9]+[kmgKMG]?")) {
                throw new UserInputException("--heap: '" + heap + "' is not a size such as 512m or 2g");
            }
            int w = workers != null ? workers : Math.max(1, Runtime.getRuntime().availableProcessors() / nodes);
            if (w < 1 || w > 64) {
                throw new UserInputException("--workers must be 1..64");
            }
            PrintWriter err = spec.commandLine().getErr();
            LocalMembers.Launch launch = (i, port, seed) -> {
                List<String> cmd = new ArrayList<>(List.of(Main.class.getName(), "node", "--port", String.valueOf(port),
                        "--seed-nodes", seed, "--workers", String.valueOf(w)));
                if (config != null) {
                    cmd.add("--config");
                    cmd.add(config.toAbsolutePath().toString());
                }
                return cmd;
            };
            LocalMembers members = LocalMembers.start(nodes, basePort, List.of("-Xmx" + heap), launch, line -> {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            }, Duration.ofSeconds(60 + 10L * nodes));
            String where = members.members().stream().map(LocalMembers.Member::hostPort)
                    .collect(Collectors.joining(", "));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("cluster up: %d member%s listening on %s, %d worker%s each%n", nodes, nodes == 1 ? "" : "s", where,
                    w, w == 1 ? "" : "s");
            out.printf("submit with: ./ioreq-sim stress --cluster %s --seeds 100000%n",
                    members.members().get(0).hostPort());
            out.println("Ctrl-C stops the members");
            out.flush();
            for (LocalMembers.Member m : members.members()) {
                m.process().waitFor(); // Ctrl-C: LocalMembers' shutdown hook stops them
            }
            members.close();
            err.println("ioreq-sim cluster up: every member has stopped");
            return 0;
        }
    }
}
