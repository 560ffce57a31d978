package org.ioreqsim.domain;

import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.page.Page;

/**
 * The part of a domain's grant table ({@code struct grant_table}, xen/common/grant_table.c) that
 * {@code XENMEM_acquire_resource} of {@code XENMEM_resource_grant_table} reaches: version 1 (what
 * {@code grant_table_init} sets; the model has no {@code GNTTABOP_set_version}), at most
 * {@link #MAX_GRANT_FRAMES} shared frames, grown on demand as {@code gnttab_grow_table} does.
 *
 * <p>Xen allocates {@code INITIAL_NR_GRANT_FRAMES} (1) frame at creation; the model allocates frames
 * only when they are first acquired, so that domains nobody maps a grant frame of allocate nothing
 * (frame numbers elsewhere stay as they were). Frames are freed when the domain is killed.
 */
final class GrantTable {
    /** {@code XENMEM_resource_grant_table_id_shared}. */
    static final long ID_SHARED = 0;
    /** {@code XENMEM_resource_grant_table_id_status}. */
    static final long ID_STATUS = 1;
    /** libxl's default {@code max_grant_frames} (the domain's limit, below Xen's own 64). */
    static final int MAX_GRANT_FRAMES = 32;

    private final int domid;
    private final MachineMemory memory;
    private final List<Page> shared = new ArrayList<>();

    GrantTable(int domid, MachineMemory memory) {
        this.domid = domid;
        this.memory = memory;
    }

    /**
     * {@code acquire_grant_table}: frames {@code frame .. frame + nr - 1}, walked backwards "in case the
     * table needs to grow"; the first failure is the answer. Shared frames: an index at or past the
     * limit is EINVAL ({@code gnttab_get_shared_frame_mfn}: the table cannot grow to it); status frames
     * exist only in version 2, so EINVAL ({@code gnttab_get_status_frame}); any other id EINVAL.
     */
    Result<List<Long>> acquire(long id, long frame, long nrFrames) {
        Long[] mfns = new Long[(int) nrFrames];
        for (long i = nrFrames - 1; i >= 0; i--) {
            if (id != ID_SHARED) {
                return Result.err(Errno.EINVAL); // status: gt_version != 2; unknown id
            }
            long idx = frame + i;
            if (Long.compareUnsigned(idx, MAX_GRANT_FRAMES) >= 0) {
                return Result.err(Errno.EINVAL);
            }
            grow((int) idx + 1);
            mfns[(int) i] = shared.get((int) idx).mfn();
        }
        return Result.ok(List.of(mfns));
    }

    /** {@code gnttab_grow_table}: allocate shared frames up to {@code n}. */
    private void grow(int n) {
        while (shared.size() < n) {
            shared.add(memory.allocate(domid));
        }
    }

    /** Frames allocated so far. */
    int frames() {
        return shared.size();
    }

    /** {@code grant_table_destroy}: the frames go back to the host. */
    void destroy() {
        for (Page p : shared) {
            memory.free(p);
        }
        shared.clear();
    }
}
