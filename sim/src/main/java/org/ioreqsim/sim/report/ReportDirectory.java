package org.ioreqsim.sim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.ioreqsim.sim.cli.UserInputException;

/**
 * Writes {@code report.json} and {@code index.html} into a directory, each to a temporary file first and
 * then moved into place, so a failed run never leaves a half-written report.
 */
public final class ReportDirectory {
    private final Path dir;

    public ReportDirectory(Path dir) {
        this.dir = dir;
    }

    /** Checks up front that the directory can be written (bad input: exit code 2 before anything runs). */
    public void check() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserInputException("--report " + dir + ": cannot create the directory (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new UserInputException("--report " + dir + ": the directory is not writable");
        }
    }

    private static void readable(Path p) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: keep the default permissions.
        }
    }

    public void write(Object json, String html) throws IOException {
        check();
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
        Path jsonTmp = Files.createTempFile(dir, ".report", ".json");
        Path htmlTmp = Files.createTempFile(dir, ".index", ".html");
        try {
            Files.writeString(jsonTmp, text, StandardCharsets.UTF_8);
            Files.writeString(htmlTmp, html, StandardCharsets.UTF_8);
            Files.move(jsonTmp, dir.resolve("report.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(htmlTmp, dir.resolve("index.html"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            readable(dir.resolve("report.json"));
            readable(dir.resolve("index.html"));
        } finally {
            Files.deleteIfExists(jsonTmp);
            Files.deleteIfExists(htmlTmp);
        }
    }
}
