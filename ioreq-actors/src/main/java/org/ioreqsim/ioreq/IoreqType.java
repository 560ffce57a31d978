package org.ioreqsim.ioreq;

/** {@code ioreq_t.type} (public/hvm/ioreq.h). */
public enum IoreqType {
    /** Port I/O, guest-originated, routed by PORT ranges. */
    PIO(0),
    /** MMIO ("copy"), guest-originated, routed by MEMORY ranges. */
    COPY(1),
    /** What a PIO access to 0xCFC..0xCFF becomes when routed by PCI SBDF. */
    PCI_CONFIG(2),
    /** Broadcast, buffered: the guest's RTC offset changed. */
    TIMEOFFSET(7),
    /** Broadcast, synchronous: flush the emulator's map cache. */
    INVALIDATE(8);

    private final int code;

    IoreqType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or {@code null} for the unused codes 3..6 and anything else. */
    public static IoreqType fromCode(int code) {
        for (IoreqType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
