package org.ioreqsim.ioreq;

/** {@code HVM_IOREQSRV_BUFIOREQ_*}: how a server handles buffered requests. */
public enum BufioreqMode {
    /** No buffered page, no bufioreq event channel. */
    OFF(0),
    /** Plain 32-bit ring pointers that wrap at 2^32 (hazard H4). */
    LEGACY(1),
    /** Xen canonicalises the pointer pair with a 64-bit compare-and-swap. What QEMU uses. */
    ATOMIC(2);

    private final int code;

    BufioreqMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean handlesBuffered() {
        return this != OFF;
    }

    /** The mode for a dm_op {@code handle_bufioreq} byte, or {@code null} (> 2: -EINVAL). */
    public static BufioreqMode fromCode(int code) {
        return switch (code) {
            case 0 -> OFF;
            case 1 -> LEGACY;
            case 2 -> ATOMIC;
            default -> null;
        };
    }
}
