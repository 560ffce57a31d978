package org.ioreqsim.sim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.cluster.ClusterNode;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.cluster.MemberService;
import org.ioreqsim.sim.run.fleet.FleetMembers;
import org.ioreqsim.sim.stress.CodeFingerprint;
import org.ioreqsim.sim.stress.distributed.StressMembers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ioreq-sim node}: one cluster member that offers its cores as workers, until Ctrl-C. */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start a cluster member (Akka Cluster, Artery TCP) that offers its cores as workers for "
                + "stress campaigns submitted with 'stress --cluster HOST:PORT'.",
            "Listens on 127.0.0.1 unless --host (or the --config file) says otherwise; refuses to join members "
                + "that run another ioreq-sim version or model code. Ctrl-C leaves the cluster gracefully."})
public final class NodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "Port to listen on (default: 25520; 0: a free one, with --seed-nodes).")
    Integer port;

    @Option(names = "--host", description = "Host name or address to listen on and advertise (default: 127.0.0.1).")
    String host;

    @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT",
            description = "Members to join (default: none, this member starts a new cluster).")
    List<String> seedNodes = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file of Akka settings (akka.cluster.*, "
            + "akka.remote.artery.*): docs/cluster.md lists the useful ones.")
    Path config;

    @Option(names = "--workers", description = "Schedule runners this member offers (default: the number of CPUs).")
    Integer workers;

    @Override
    public Integer call() {
        int w = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (w < 1 || w > 64) {
            throw new UserInputException("--workers must be 1..64");
        }
        var code = CodeFingerprint.current();
        ClusterSettings settings = ClusterSettings.worker(host, port, seedNodes, config, code.version(), code.model());
        ClusterNode node = ClusterNode.start(settings, services(w));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("ioreq-sim node: member %s up, listening on %s, %d worker%s (code fingerprint %s); Ctrl-C leaves%n",
                node.address(), node.hostPort(), w, w == 1 ? "" : "s", code.model());
        out.flush();
        node.whenStopped().join();
        String why = node.stopReason();
        spec.commandLine().getErr().println("ioreq-sim node: " + node.hostPort() + " "
                + (why == null ? "stopped" : why));
        return why != null && why.startsWith("downed") ? Main.RUN_FAILED : 0;
    }

    /**
     * What a member hosts, started once it is Up: every feature that runs on members adds its
     * {@link MemberService} here (features do not know each other; this command knows them all).
     */
    static List<MemberService> services(int workers) {
        return List.of(new StressMembers(workers), new FleetMembers());
    }
}
