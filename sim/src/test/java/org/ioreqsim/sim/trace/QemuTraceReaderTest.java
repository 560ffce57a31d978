package org.ioreqsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.ioreqsim.sim.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuTraceReaderTest {
    static final String TRACE = """
            memory_region_ops_write cpu -1 mr 0x55 addr 0xfee00000 value 0x0 size 4 name 'apic-msi'
            memory_region_ops_write cpu 0 mr 0x56 addr 0x70 value 0x8f size 1 name 'rtc-index'
            123@1700000000.123456:memory_region_ops_read cpu 1 mr 0x57 addr 0x71 value 0x0 size 1 name 'rtc'
            123@1700000000.123457:pci_cfg_write i440FX 00:00.0 @0x58 <- 0x33333000

            qemu-system-x86_64: terminating on signal 15
            memory_region_ops_read cpu 0 mr 0x58 addr 0xa0000 value 0xffffffffffffffff size 8 name 'vga-lowmem'
            """;

    @Test
    void plainTraceAccountsForEveryLine() throws IOException {
        QemuTrace t = QemuTraceReader.read("t.log", stream(TRACE.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(7, t.lines());
        assertEquals(4, t.events());
        assertEquals(3, t.accesses());
        assertEquals(1, t.deviceOriginated());
        assertEquals(3, t.otherLines());
        assertEquals(Map.of("pci_cfg_write", 1L, "blank", 1L, "text", 1L), t.otherLinesByKind());
        assertEquals(t.lines(), t.events() + t.otherLines());
        assertEquals(List.of(0, 1), t.cpus());
        assertEquals(List.of("rtc-index", "rtc", "vga-lowmem"), t.regions());
        assertEquals(3, t.access(1).line());
        assertEquals(0xFFFFFFFFFFFFFFFFL, t.access(2).value());
    }

    @Test
    void gzipTraceReadsTheSame() throws IOException {
        QemuTrace t = QemuTraceReader.read("t.log.gz", stream(gzip(TRACE)));
        assertEquals(7, t.lines());
        assertEquals(3, t.accesses());
        assertEquals(t.access(0), QemuTraceReader.read("t.log", stream(TRACE.getBytes(StandardCharsets.ISO_8859_1)))
                .access(0));
    }

    @Test
    void truncatedGzipIsOneErrorWithFileAndLine(@TempDir Path dir) throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append("memory_region_ops_write cpu 0 mr 0x56 addr 0x80 value 0x").append(Integer.toHexString(i))
                    .append(" size 1 name 'ioport80'\n");
        }
        byte[] gz = gzip(big.toString());
        Path f = dir.resolve("cut.log.gz");
        Files.write(f, Arrays.copyOf(gz, gz.length / 2));
        UserInputException e = assertThrows(UserInputException.class, () -> QemuTraceReader.read(f));
        assertEquals(f + ":", e.getMessage().substring(0, f.toString().length() + 1));
        assertTrue(e.getMessage().matches(".*cut\\.log\\.gz:\\d+: truncated gzip stream \\(.*\\)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void corruptGzipTrailerIsAnError(@TempDir Path dir) throws IOException {
        byte[] gz = gzip(TRACE);
        gz[gz.length - 8] ^= 0x55;
        Path f = dir.resolve("bad.log.gz");
        Files.write(f, gz);
        UserInputException e = assertThrows(UserInputException.class, () -> QemuTraceReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
        assertEquals(f + ":8: corrupt gzip stream (Corrupt GZIP trailer)", e.getMessage());
    }

    @Test
    void malformedLineNamesItsLineNumber() {
        String text = TRACE + "memory_region_ops_read cpu 0 mr 0x58 addr 0x64 value 0x1c size 1\n"
                + "memory_region_ops_read cpu 0 mr 0x58 addr 0x64 value zz size 1 name 'i8042-cmd'\n";
        UserInputException e = assertThrows(UserInputException.class,
                () -> QemuTraceReader.read("boot.log", stream(text.getBytes(StandardCharsets.ISO_8859_1))));
        assertEquals("boot.log:9: malformed memory_region_ops line: bad value 'zz' (0x and 1 to 16 hex digits)",
                e.getMessage());
    }

    @Test
    void missingFileAndEmptyTraceAreErrors(@TempDir Path dir) throws IOException {
        Path none = dir.resolve("none.log");
        assertEquals(none + ": no such file",
                assertThrows(UserInputException.class, () -> QemuTraceReader.read(none)).getMessage());
        Path empty = dir.resolve("empty.log");
        Files.writeString(empty, "hello\n");
        String m = assertThrows(UserInputException.class, () -> QemuTraceReader.read(empty)).getMessage();
        assertTrue(m.startsWith(empty + ":1: no memory_region_ops_read/write events in 1 lines"), m);
    }

    static InputStream stream(byte[] bytes) {
        return new java.io.BufferedInputStream(new ByteArrayInputStream(bytes));
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }
}
