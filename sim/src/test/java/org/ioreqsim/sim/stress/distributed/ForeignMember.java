package org.ioreqsim.sim.stress.distributed;

import java.nio.file.Path;
import java.util.List;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.cluster.ClusterNode;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.stress.CodeFingerprint;

/**
 * A member process that runs other model code: {@code ioreq-sim node} with the code fingerprint changed,
 * handled as the command handles bad input (one line on stderr, exit code 2). Arguments: port, seed node,
 * config file.
 */
public final class ForeignMember {
    private ForeignMember() {
    }

    public static void main(String[] args) {
        var code = CodeFingerprint.current();
        ClusterSettings s = ClusterSettings.worker(null, Integer.parseInt(args[0]), List.of(args[1]), Path.of(args[2]),
                code.version(), "0000" + code.model().substring(4));
        try (ClusterNode node = ClusterNode.start(s, List.of(new StressMembers(1)))) {
            System.out.println("ioreq-sim node: joined, but it should have been refused: " + node.hostPort());
            System.exit(0);
        } catch (UserInputException e) {
            System.out.println("ioreq-sim node: " + e.getMessage());
            System.exit(2);
        }
    }
}
