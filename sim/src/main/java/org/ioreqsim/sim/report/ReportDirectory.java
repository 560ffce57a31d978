package org.ioreqsim.sim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.ioreqsim.sim.UserInputException;

/**
 * Writes {@code report.json} and {@code index.html} into a directory: both to temporary files first,
 * the targets checked, then moved into place, so a failed run never leaves a half-written report, and
 * the directory is created only when there is a report to put in it.
 */
public final class ReportDirectory {
    /** The files a report consists of, in the order they are moved into place. */
    static final List<String> FILES = List.of("report.json", "index.html");

    private final Path dir;

    public ReportDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Checks up front that the directory can be made and written (bad input: exit code 2 before anything
     * runs), without creating it: a run that fails or is interrupted leaves no empty folder behind.
     */
    public void check() {
        checkDirectory("--report", dir);
        for (String f : FILES) {
            if (Files.isDirectory(dir.resolve(f))) {
                throw new UserInputException("--report " + dir + ": " + f + " is a directory");
            }
        }
    }

    /**
     * Checks that {@code dir} is a directory that can be written, or can be created, without creating it;
     * a one-line {@link UserInputException} naming {@code flag} otherwise.
     */
    public static void checkDirectory(String flag, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserInputException(flag + " " + dir + ": exists and is not a directory");
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new UserInputException(flag + " " + dir + ": cannot create the directory (" + existing
                    + " is not a directory)");
        }
        if (!Files.isWritable(existing)) {
            throw new UserInputException(flag + " " + dir + ": " + (existing.equals(dir.toAbsolutePath())
                    ? "the directory is not writable" : "cannot create the directory (" + existing
                    + " is not writable)"));
        }
        if (!existing.equals(dir.toAbsolutePath())) {
            // Try it for real (permissions do not tell everything, e.g. in /proc), then leave nothing behind.
            Path top = existing.resolve(existing.relativize(dir.toAbsolutePath()).getName(0));
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UserInputException(flag + " " + dir + ": cannot create the directory (" + e.getMessage()
                        + ")");
            } finally {
                deleteTree(top);
            }
        }
    }

    /** Deletes the empty directories from {@code top} down, as {@link #checkDirectory} made them. */
    private static void deleteTree(Path top) {
        try (var walk = Files.walk(top)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // Nothing was made, or it cannot be removed: nothing more to do.
        }
    }

    /** Whether an earlier report is there (it will be replaced). */
    public boolean hasReport() {
        return FILES.stream().anyMatch(f -> Files.exists(dir.resolve(f)));
    }

    /**
     * Writes the report. Fails with a one-line {@link UserInputException} (and nothing of the new report
     * in place) when the directory cannot take it.
     */
    public void write(Object json, String html) {
        check();
        String text;
        try {
            text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalStateException("the report does not serialise", e);
        }
        Path jsonTmp = null;
        Path htmlTmp = null;
        try {
            Files.createDirectories(dir);
            jsonTmp = Files.createTempFile(dir, ".report", ".json.tmp");
            htmlTmp = Files.createTempFile(dir, ".index", ".html.tmp");
            Files.writeString(jsonTmp, text, StandardCharsets.UTF_8);
            Files.writeString(htmlTmp, html, StandardCharsets.UTF_8);
            readable(jsonTmp);
            readable(htmlTmp);
            Files.move(jsonTmp, dir.resolve(FILES.get(0)), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(htmlTmp, dir.resolve(FILES.get(1)), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserInputException("--report " + dir + ": cannot write the report (" + e + ")");
        } finally {
            deleteQuietly(jsonTmp);
            deleteQuietly(htmlTmp);
        }
    }

    private static void readable(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: keep the default permissions.
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Best effort: a temporary file left behind is named .report*.tmp.
        }
    }
}
