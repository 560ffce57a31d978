package org.ioreqsim.sim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link ScaleProbe} in a fresh JVM with its own heap limit, on this JVM's class path, and reads
 * back its {@code RESULT} line.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** What a child reported, or why it did not. */
    record Outcome(Map<String, Object> result, String failure) {
        boolean ok() {
            return result != null;
        }
    }

    static Outcome run(String heap, String... probeArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ScaleProbe.class.getName());
        cmd.addAll(List.of(probeArgs));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String result = null;
            List<String> tail = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith(ScaleProbe.RESULT)) {
                        result = line.substring(ScaleProbe.RESULT.length());
                    } else {
                        tail.add(line);
                        if (tail.size() > 5) {
                            tail.remove(0);
                        }
                    }
                }
            }
            int rc = p.waitFor();
            if (result == null) {
                return new Outcome(null, "exit " + rc + ": " + String.join(" | ", tail).trim());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new ObjectMapper().readValue(result, Map.class);
            return new Outcome(m, null);
        } catch (IOException e) {
            return new Outcome(null, "could not start a JVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted");
        }
    }
}
