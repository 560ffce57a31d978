package org.ioreqsim.sim.script;

/** Numbers as scripts write them: decimal, {@code 0x} hex, negative, or {@code ~0} for all ones. */
final class Numbers {
    private Numbers() {
    }

    /** Parses a number; a 64-bit unsigned hex value such as 0xffffffffffffffff is accepted. */
    static long parse(String text) {
        String t = text.trim().replace("_", "");
        if (t.equals("~0")) {
            return -1L;
        }
        boolean neg = t.startsWith("-");
        String body = neg ? t.substring(1) : t;
        long v;
        if (body.startsWith("0x") || body.startsWith("0X")) {
            v = Long.parseUnsignedLong(body.substring(2), 16);
        } else {
            v = Long.parseUnsignedLong(body);
        }
        return neg ? -v : v;
    }

    static boolean isNumber(String text) {
        try {
            parse(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
