package org.ioreqsim.sim.scenario;

import java.util.Locale;
import org.ioreqsim.ioreq.Pci;

/**
 * Parses an access template as scenario files write it:
 * <pre>
 * pio read|write ADDR[-LAST] [size=N]
 * mmio read|write ADDR[-LAST] [size=N] [count=N]
 * pci read|write BB:DD.F [reg=FIRST[-LAST]] [size=N]
 * rtc
 * invalidate
 * </pre>
 * Throws {@link IllegalArgumentException} with a message naming the problem.
 */
final class AccessTemplates {
    private AccessTemplates() {
    }

    static AccessTemplate parse(int weight, String text) {
        String[] w = text.trim().split("\\s+");
        String kind = w[0].toLowerCase(Locale.ROOT);
        if (kind.equals("rtc") || kind.equals("invalidate")) {
            if (w.length != 1) {
                throw new IllegalArgumentException("'" + kind + "' takes no arguments");
            }
            return new AccessTemplate(weight, kind.equals("rtc") ? AccessTemplate.Kind.RTC
                    : AccessTemplate.Kind.INVALIDATE, false, 0, 0, 8, 1, 0, text);
        }
        if (w.length < 3) {
            throw new IllegalArgumentException("expected 'pio|mmio|pci read|write ADDRESS ...', got '" + text + "'");
        }
        AccessTemplate.Kind k = switch (kind) {
            case "pio" -> AccessTemplate.Kind.PIO;
            case "mmio" -> AccessTemplate.Kind.MMIO;
            case "pci" -> AccessTemplate.Kind.PCI;
            default -> throw new IllegalArgumentException("unknown access kind '" + w[0] + "' (pio, mmio, pci, rtc, "
                    + "invalidate)");
        };
        boolean read = switch (w[1].toLowerCase(Locale.ROOT)) {
            case "read" -> true;
            case "write" -> false;
            default -> throw new IllegalArgumentException("'" + w[1] + "' is not read or write");
        };
        int size = 4;
        long count = 1;
        long[] regs = {0, 0};
        for (int i = 3; i < w.length; i++) {
            String[] kv = w[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("'" + w[i] + "' is not key=value");
            }
            switch (kv[0]) {
                case "size" -> size = (int) number(kv[1]);
                case "count" -> count = number(kv[1]);
                case "reg" -> regs = range(kv[1]);
                default -> throw new IllegalArgumentException("unknown key '" + kv[0] + "' (size, count, reg)");
            }
        }
        if (k == AccessTemplate.Kind.PIO && size != 1 && size != 2 && size != 4) {
            throw new IllegalArgumentException("a port access is 1, 2 or 4 bytes, not " + size);
        }
        if (k == AccessTemplate.Kind.MMIO && (size < 1 || size > 8 || Integer.bitCount(size) != 1)) {
            throw new IllegalArgumentException("an MMIO access is 1, 2, 4 or 8 bytes, not " + size);
        }
        if (k == AccessTemplate.Kind.PCI) {
            if (size != 1 && size != 2 && size != 4) {
                throw new IllegalArgumentException("a PCI config access is 1, 2 or 4 bytes, not " + size);
            }
            String[] bdf = w[2].split("[:.]");
            if (bdf.length != 3) {
                throw new IllegalArgumentException("a PCI function is BB:DD.F, not '" + w[2] + "'");
            }
            long sbdf = Pci.sbdf(0, Integer.parseInt(bdf[0], 16), Integer.parseInt(bdf[1], 16),
                    Integer.parseInt(bdf[2]));
            if (regs[1] > 0xFF) {
                throw new IllegalArgumentException("registers go up to 0xff through CF8/CFC");
            }
            return new AccessTemplate(weight, k, read, regs[0], regs[1], size, 1, sbdf, text);
        }
        long[] addr = range(w[2]);
        if (k == AccessTemplate.Kind.PIO && Long.compareUnsigned(addr[1], 0xFFFF) > 0) {
            throw new IllegalArgumentException("a guest's ports are 0..0xffff, not " + w[2]);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        return new AccessTemplate(weight, k, read, addr[0], addr[1], size, count, 0, text);
    }

    static long[] range(String s) {
        int dash = s.indexOf('-');
        long a = number(dash < 0 ? s : s.substring(0, dash));
        long b = dash < 0 ? a : number(s.substring(dash + 1));
        if (Long.compareUnsigned(a, b) > 0) {
            throw new IllegalArgumentException("range " + s + " ends before it starts");
        }
        return new long[] {a, b};
    }

    static long number(String s) {
        try {
            String t = s.trim().toLowerCase(Locale.ROOT);
            return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
    }
}
