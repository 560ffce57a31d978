package org.ioreqsim.sim.trace;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ioreqsim.sim.UserInputException;

/**
 * Reads a QEMU trace log, plain or gzip (recognised by its magic bytes), into a {@link QemuTrace}.
 * The whole file is read before anything is replayed, so a bad line, an unreadable file or a
 * truncated gzip stream is one {@link UserInputException} naming the file and line, and no report.
 */
public final class QemuTraceReader {
    private QemuTraceReader() {
    }

    public static QemuTrace read(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new UserInputException(name + ": is a directory, not a trace file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(name, raw);
        } catch (NoSuchFileException e) {
            throw new UserInputException(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UserInputException(name + ": permission denied");
        } catch (IOException e) {
            throw new UserInputException(name + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads {@code in} (buffered, so that the gzip magic can be peeked at); {@code name} is for messages. */
    static QemuTrace read(String name, InputStream in) throws IOException {
        QemuTrace.Builder trace = QemuTrace.builder(name);
        long lineNumber = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(decompressed(in),
                StandardCharsets.ISO_8859_1), 1 << 16)) {
            String text;
            while ((text = r.readLine()) != null) {
                lineNumber++;
                trace.line();
                QemuLogLine.Parsed p = QemuLogLine.parse(text, lineNumber);
                if (p instanceof QemuLogLine.Access a) {
                    trace.access(a.access());
                } else if (p instanceof QemuLogLine.Other o) {
                    trace.other(o.kind());
                } else if (p instanceof QemuLogLine.Malformed m) {
                    throw new UserInputException(name + ":" + lineNumber + ": malformed memory_region_ops line: "
                            + m.reason());
                }
            }
        } catch (EOFException e) {
            throw new UserInputException(name + ":" + (lineNumber + 1) + ": truncated gzip stream ("
                    + e.getMessage() + ")");
        } catch (ZipException e) {
            throw new UserInputException(name + ":" + (lineNumber + 1) + ": corrupt gzip stream (" + e.getMessage()
                    + ")");
        }
        QemuTrace t = trace.build();
        if (t.events() == 0) {
            throw new UserInputException(name + ":" + lineNumber + ": no memory_region_ops_read/write events in "
                    + lineNumber + " lines (trace QEMU with -trace memory_region_ops_read -trace "
                    + "memory_region_ops_write)");
        }
        return t;
    }

    private static InputStream decompressed(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1F && b1 == 0x8B) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }
}
