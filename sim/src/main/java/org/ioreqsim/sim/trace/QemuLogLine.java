package org.ioreqsim.sim.trace;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ioreqsim.ioreq.IoDirection;

/**
 * One line of a QEMU log written by the {@code log} trace backend (QEMU's generated
 * {@code _nocheck__trace_memory_region_ops_read}): {@code memory_region_ops_read cpu 0 mr 0x55d0c8
 * addr 0x70 value 0x8f size 1 name 'rtc-index'}, optionally prefixed with {@code pid@sec.usec:} when
 * QEMU runs with {@code -msg timestamp=on}. Anything else is another trace event, QEMU's own text, or
 * a blank line.
 */
final class QemuLogLine {
    private static final Pattern OPS = Pattern.compile("^(?:\\d+@\\d+\\.\\d+:)?memory_region_ops_(read|write)(?: (.*))?$");
    private static final Pattern EVENT = Pattern.compile("^(?:\\d+@\\d+\\.\\d+:)?([a-z0-9]+(?:_[a-z0-9]+)+)(?: .*)?$");

    private QemuLogLine() {
    }

    /** What a line holds. */
    sealed interface Parsed {
    }

    /** A {@code memory_region_ops_read/write} event. */
    record Access(TraceAccess access) implements Parsed {
    }

    /** Not an access: {@code kind} is the trace event's name, {@code text} or {@code blank}. */
    record Other(String kind) implements Parsed {
    }

    /** A {@code memory_region_ops} line that does not parse: {@code reason} says where. */
    record Malformed(String reason) implements Parsed {
    }

    static Parsed parse(String text, long lineNumber) {
        String line = text.strip();
        Matcher m = OPS.matcher(line);
        if (!m.matches()) {
            if (line.isEmpty()) {
                return new Other("blank");
            }
            Matcher e = EVENT.matcher(line);
            return new Other(e.matches() ? e.group(1) : "text");
        }
        IoDirection dir = m.group(1).equals("read") ? IoDirection.READ : IoDirection.WRITE;
        String body = m.group(2);
        if (body == null) {
            return new Malformed("no fields after the event name");
        }
        Fields f = new Fields(body, m.start(2));
        try {
            int cpu = (int) f.decimal("cpu", true, Integer.MIN_VALUE, Integer.MAX_VALUE);
            f.word("mr");
            long addr = f.hex("addr");
            long value = f.hex("value");
            int size = (int) f.decimal("size", false, 1, 8);
            if (Long.bitCount(size) != 1) {
                throw new IllegalArgumentException("size " + size + " is not 1, 2, 4 or 8");
            }
            String region = f.name();
            TraceAccess a = new TraceAccess(lineNumber, cpu, dir, addr, value, size, region);
            if (a.isPortIo() && size == 8) {
                throw new IllegalArgumentException("size 8 at port 0x" + Long.toHexString(addr)
                        + " (port I/O is 1, 2 or 4 bytes)");
            }
            return new Access(a);
        } catch (IllegalArgumentException ex) {
            return new Malformed(ex.getMessage());
        }
    }

    /** A left-to-right reader of {@code key value} pairs. */
    private static final class Fields {
        private final String s;
        /** Where {@code s} starts in the line, for columns in messages. */
        private final int column;
        private int pos;

        Fields(String s, int column) {
            this.s = s;
            this.column = column;
        }

        /** The next space-separated token after {@code key}. */
        String word(String key) {
            if (!s.startsWith(key + " ", pos)) {
                throw new IllegalArgumentException("expected '" + key + "' at column " + (column + pos + 1));
            }
            pos += key.length() + 1;
            int end = s.indexOf(' ', pos);
            if (end < 0) {
                end = s.length();
            }
            if (end == pos) {
                throw new IllegalArgumentException("'" + key + "' has no value");
            }
            String w = s.substring(pos, end);
            pos = Math.min(end + 1, s.length());
            return w;
        }

        long decimal(String key, boolean signed, long min, long max) {
            String w = word(key);
            try {
                long v = Long.parseLong(w);
                if ((!signed && w.startsWith("-")) || v < min || v > max) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad " + key + " '" + w + "'");
            }
        }

        long hex(String key) {
            String w = word(key);
            if (!w.startsWith("0x") || w.length() < 3 || w.length() > 18) {
                throw new IllegalArgumentException("bad " + key + " '" + w + "' (0x and 1 to 16 hex digits)");
            }
            try {
                return Long.parseUnsignedLong(w.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad " + key + " '" + w + "'");
            }
        }

        /** {@code name 'REGION'}: everything between the first and the last quote; absent in old QEMUs. */
        String name() {
            if (pos >= s.length()) {
                return "(unnamed)";
            }
            if (!s.startsWith("name '", pos) || !s.endsWith("'") || s.length() - pos < 7) {
                throw new IllegalArgumentException("expected name '...' at column " + (column + pos + 1));
            }
            return s.substring(pos + 6, s.length() - 1);
        }
    }
}
