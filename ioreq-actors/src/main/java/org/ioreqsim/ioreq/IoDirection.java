package org.ioreqsim.ioreq;

/** {@code ioreq_t.dir}: {@code IOREQ_WRITE} = 0, {@code IOREQ_READ} = 1. */
public enum IoDirection {
    WRITE,
    READ;

    public int code() {
        return ordinal();
    }

    public static IoDirection fromCode(int code) {
        return code == 0 ? WRITE : READ;
    }
}
