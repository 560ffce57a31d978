package org.ioreqsim.ioreq;

/**
 * Xen's errno values (xen/include/public/errno.h) as the simulation returns them.
 * An operation answers {@code -number}; {@link #describe()} prints it the way transcripts do.
 */
public enum Errno {
    EPERM(1),
    ENOENT(2),
    ESRCH(3),
    E2BIG(7),
    ENOMEM(12),
    EACCES(13),
    EFAULT(14),
    EBUSY(16),
    EEXIST(17),
    EINVAL(22),
    ENOSPC(28),
    /** Not one of Xen's answers here: a dm_op that passes Xen's checks but that ioreq-sim does not model. */
    ENOSYS(38),
    ENODATA(61),
    EOPNOTSUPP(95);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The positive errno number. */
    public int number() {
        return number;
    }

    /** What Xen returns: the negated number. */
    public int code() {
        return -number;
    }

    /** {@code "-22 EINVAL"}. */
    public String describe() {
        return code() + " " + name();
    }

    /** The errno with this positive or negative number, or {@code null}. */
    public static Errno fromNumber(int n) {
        int abs = Math.abs(n);
        for (Errno e : values()) {
            if (e.number == abs) {
                return e;
            }
        }
        return null;
    }
}
