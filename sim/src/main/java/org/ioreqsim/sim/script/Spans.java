package org.ioreqsim.sim.script;

/** {@code START:LENGTH} or {@code FIRST-LAST} as an inclusive {@code [first, last]} pair. */
final class Spans {
    private Spans() {
    }

    static long[] parse(String text) {
        int dash = text.indexOf('-');
        if (dash > 0) {
            return new long[] {Numbers.parse(text.substring(0, dash)), Numbers.parse(text.substring(dash + 1))};
        }
        int colon = text.indexOf(':');
        long start = Numbers.parse(text.substring(0, colon));
        return new long[] {start, start + Numbers.parse(text.substring(colon + 1)) - 1};
    }
}
