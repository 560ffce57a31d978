package org.ioreqsim.ioreq;

/** {@code XEN_DMOP_IO_RANGE_*}: which of a server's three range sets a range belongs to. */
public enum RangeType {
    PORT(0),
    MEMORY(1),
    /** Ranges of SBDF values, {@code (seg << 16) | (bus << 8) | (dev << 3) | fn}. */
    PCI(2);

    private final int code;

    RangeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a dm_op {@code type} field, or {@code null} if Xen would answer -EINVAL. */
    public static RangeType fromCode(long code) {
        for (RangeType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
