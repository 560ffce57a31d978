package org.ioreqsim.ioreq;

/**
 * The 4-bit {@code ioreq_t.state} field. It is an int, not an enum, because the shared page holds
 * whatever an emulator writes there: values 4..15 are illegal and Xen crashes the domain on them.
 */
public final class IoreqState {
    public static final int NONE = 0;
    public static final int READY = 1;
    public static final int INPROCESS = 2;
    public static final int IORESP_READY = 3;

    private IoreqState() {
    }

    public static boolean isLegal(int state) {
        return state >= NONE && state <= IORESP_READY;
    }

    /** {@code "STATE_IOREQ_READY"} etc., or {@code "illegal(7)"}. */
    public static String name(int state) {
        return switch (state) {
            case NONE -> "STATE_IOREQ_NONE";
            case READY -> "STATE_IOREQ_READY";
            case INPROCESS -> "STATE_IOREQ_INPROCESS";
            case IORESP_READY -> "STATE_IORESP_READY";
            default -> "illegal(" + state + ")";
        };
    }

    /** Parses a name as {@link #name(int)} or the short forms NONE, READY, INPROCESS, IORESP_READY, or a number. */
    public static int parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        return switch (t) {
            case "NONE", "STATE_IOREQ_NONE" -> NONE;
            case "READY", "STATE_IOREQ_READY" -> READY;
            case "INPROCESS", "STATE_IOREQ_INPROCESS" -> INPROCESS;
            case "IORESP_READY", "STATE_IORESP_READY" -> IORESP_READY;
            default -> {
                int v = Integer.decode(t);
                if (v < 0 || v > 15) {
                    throw new IllegalArgumentException("ioreq state must be 0..15: " + text);
                }
                yield v;
            }
        };
    }
}
