package org.ioreqsim.ioreq.page;

/**
 * A domain's guest-physical memory as Xen's copy routines see it ({@code hvm_copy_to/from_guest_phys}):
 * populated frames read and write; an access to an unpopulated frame reports it, and Xen's callers
 * then read all ones or drop the write. Accesses may cross frame boundaries.
 */
public interface GuestMemory {

    /** Whether the frame holding {@code gpa} is populated RAM. */
    boolean isPopulated(long gpa);

    /** {@code size} bytes at {@code gpa}; bytes of unpopulated frames read as 0xFF. */
    long read(long gpa, int size);

    /** Writes {@code size} bytes at {@code gpa}; bytes of unpopulated frames are dropped. */
    void write(long gpa, int size, long value);

    /**
     * A foreign mapping of one guest frame (what a device model maps with privcmd): the page behind a
     * populated gfn, or {@code null} if the gfn is not populated RAM.
     */
    Page frame(long gfn);
}
