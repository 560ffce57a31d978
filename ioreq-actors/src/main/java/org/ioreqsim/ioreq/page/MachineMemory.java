package org.ioreqsim.ioreq.page;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's frame table: pages allocated by Xen (ioreq pages, guest RAM frames that someone mapped)
 * by machine frame number. Hypercalls hand out frame numbers, and whoever maps a frame resolves it
 * here, so messages carry numbers, never page objects.
 */
public final class MachineMemory {
    /** The first frame number handed out; only a recognisable base, not a model of host RAM. */
    public static final long FIRST_MFN = 0x100000L;

    private final AtomicLong nextMfn = new AtomicLong(FIRST_MFN);
    private final Map<Long, Page> frames = new ConcurrentHashMap<>();

    /** {@code alloc_domheap_page}: a zeroed frame owned by {@code domid}. */
    public Page allocate(int domid) {
        Page p = new Page(nextMfn.getAndIncrement(), domid);
        frames.put(p.mfn(), p);
        return p;
    }

    /** The frame with this number, or {@code null} if it is not allocated. */
    public Page lookup(long mfn) {
        return frames.get(mfn);
    }

    /** Returns a frame to the host. Mappings that still hold the object keep reading stale memory. */
    public void free(Page page) {
        frames.remove(page.mfn());
    }

    /** Number of allocated frames. */
    public int allocatedFrames() {
        return frames.size();
    }
}
