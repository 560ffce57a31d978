package org.ioreqsim.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input to the cluster commands: one line, exit code 2, in a bounded time, never a hang. */
class ClusterCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1:", ":25520", "127.0.0.1:0", "127.0.0.1:70000", "h:p"})
    void aClusterAddressThatIsNotHostPortIsBadInput(String address) {
        Run r = cli("stress", "--cluster", address, "--seeds", "10", "--no-traces");
        assertEquals(2, r.code(), r.err());
        assertEquals("ioreq-sim stress: --cluster: '" + address + "' is not HOST:PORT (e.g. 127.0.0.1:25520)",
                r.err().strip());
    }

    @Test
    void aSeedNodeThatIsNotHostPortIsBadInput() {
        Run r = cli("node", "--seed-nodes", "127.0.0.1:25520,nowhere", "--port", "0");
        assertEquals(2, r.code(), r.err());
        assertEquals("ioreq-sim node: --seed-nodes: 'nowhere' is not HOST:PORT (e.g. 127.0.0.1:25520)", r.err().strip());
    }

    @Test
    @Timeout(60)
    void anUnreachableClusterIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = Files.writeString(dir.resolve("client.conf"),
                "akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 3s\n");
        Run r = cli("stress", "--cluster", "127.0.0.1:" + port, "--cluster-config", conf.toString(), "--seeds", "10",
                "--no-traces");
        assertEquals(2, r.code(), r.err());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("ioreq-sim stress: could not join the cluster at 127.0.0.1:" + port
                + " (no seed node answered within 3 s)", last);
    }

    @Test
    @Timeout(60)
    void aPortInUseIsOneLineAndExitCode2() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = cli("node", "--port", String.valueOf(s.getLocalPort()), "--workers", "1");
            assertEquals(2, r.code(), r.err());
            String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("ioreq-sim node: cannot listen on 127.0.0.1:" + s.getLocalPort() + ": "), last);
        }
    }

    @Test
    void clusterUpChecksItsArguments() {
        Run r = cli("cluster", "up", "--nodes", "0");
        assertEquals(2, r.code(), r.err());
        assertEquals("ioreq-sim up: --nodes must be 1..32", r.err().strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2x", "-Xmx1g", "1.5g", ""})
    void clusterUpRefusesAHeapThatIsNotASize(String heap) {
        // checked before any member starts: one line, exit 2
        Run r = cli("cluster", "up", "--nodes", "2", "--heap", heap);
        assertEquals(2, r.code(), r.err());
        assertEquals("ioreq-sim up: --heap: '" + heap + "' is not a size such as 512m or 2g", r.err().strip());
    }
}
