package org.ioreqsim.ioreq.page;

import org.ioreqsim.ioreq.Xen;

/**
 * One of a server's two pages ({@code struct hvm_ioreq_page}): either absent, a frame Xen allocated
 * for resource mapping, or a guest frame taken from the ioreq gfn pool. Changed only by the target
 * domain; read by the target's vCPUs (the synchronous page) when they complete a request.
 */
public final class ServerPage {
    private volatile long gfn = Xen.INVALID_GFN;
    private volatile Page page;
    private volatile IoreqPage asIoreq;
    private volatile BufferedIoreqPage asBuffered;

    public long gfn() {
        return gfn;
    }

    public Page page() {
        return page;
    }

    public boolean exists() {
        return page != null;
    }

    /** The page is a guest frame ({@code !gfn_eq(gfn, INVALID_GFN)}). */
    public boolean isGfnMapped() {
        return gfn != Xen.INVALID_GFN;
    }

    /** The page as a synchronous ioreq page, or {@code null} if absent. */
    public IoreqPage ioreqPage() {
        return asIoreq;
    }

    /** The page as a buffered ring, or {@code null} if absent. */
    public BufferedIoreqPage bufferedPage() {
        return asBuffered;
    }

    public void set(Page page, long gfn) {
        this.asIoreq = page == null ? null : new IoreqPage(page);
        this.asBuffered = page == null ? null : new BufferedIoreqPage(page);
        this.page = page;
        this.gfn = gfn;
    }

    /** Drops the page but keeps the gfn ({@code iorp->page = NULL} without touching {@code iorp->gfn}). */
    public void dropPage() {
        set(null, gfn);
    }

    public void clearMapping() {
        set(null, Xen.INVALID_GFN);
    }
}
