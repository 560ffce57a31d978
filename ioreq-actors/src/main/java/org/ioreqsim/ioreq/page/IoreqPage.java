package org.ioreqsim.ioreq.page;

import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Xen;

/**
 * A server's synchronous page ({@code shared_iopage_t}) laid over a {@link Page}: one 32-byte
 * {@code ioreq_t} per vCPU, four words each.
 *
 * <pre>
 * word 0: addr
 * word 1: data
 * word 2: count (bits 0..31) | size (bits 32..63)
 * word 3: vp_eport (0..31) | _pad0 (32..47) | state (48..51) | data_is_ptr (52) | dir (53) | df (54) | type (56..63)
 * </pre>
 *
 * Writers publish the state last with release semantics; readers read the state word first with
 * acquire semantics, as Xen's {@code smp_wmb}/{@code smp_rmb} pairs do.
 */
public final class IoreqPage {
    private static final int STATE_SHIFT = 48;
    private static final long STATE_MASK = 0xFL << STATE_SHIFT;

    private final Page page;

    public IoreqPage(Page page) {
        this.page = page;
    }

    public Page page() {
        return page;
    }

    public long mfn() {
        return page.mfn();
    }

    /**
     * The current state of vCPU {@code vcpu}'s slot: one read, as XSA-166 requires. A volatile read: an
     * emulator checks the state after clearing its port's pending bit, while Xen publishes the state
     * and then tests that bit, and only sequentially consistent accesses on both sides guarantee that
     * one of them sees the other (free on x86, where volatile and acquire loads are the same load).
     */
    public int state(int vcpu) {
        return (int) ((page.get(word3(vcpu)) & STATE_MASK) >>> STATE_SHIFT);
    }

    /** Sets the state, leaving the rest of the slot alone (release). */
    public void setState(int vcpu, int state) {
        int w = word3(vcpu);
        long old;
        do {
            old = page.get(w);
        } while (!page.compareAndSet(w, old, (old & ~STATE_MASK) | ((long) (state & 0xF) << STATE_SHIFT)));
    }

    /** Moves the state from {@code expect} to {@code update} if it still is {@code expect}. */
    public boolean compareAndSetState(int vcpu, int expect, int update) {
        int w = word3(vcpu);
        long old = page.get(w);
        if ((int) ((old & STATE_MASK) >>> STATE_SHIFT) != expect) {
            return false;
        }
        return page.compareAndSet(w, old, (old & ~STATE_MASK) | ((long) (update & 0xF) << STATE_SHIFT));
    }

    public long vpEport(int vcpu) {
        return page.get(word3(vcpu)) & 0xFFFFFFFFL;
    }

    public void setVpEport(int vcpu, long port) {
        int w = word3(vcpu);
        long old;
        do {
            old = page.get(w);
        } while (!page.compareAndSet(w, old, (old & ~0xFFFFFFFFL) | (port & 0xFFFFFFFFL)));
    }

    public long data(int vcpu) {
        return page.get(base(vcpu) + 1);
    }

    /**
     * The emulator's answer; it must publish it before moving the state to IORESP_READY. An atomic write
     * without ordering of its own: the state change that follows (a compare-and-set) publishes it.
     */
    public void setData(int vcpu, long data) {
        page.setOpaque(base(vcpu) + 1, data);
    }

    /** The whole slot, state read first. */
    public Ioreq load(int vcpu) {
        int b = base(vcpu);
        long w3 = page.getAcquire(b + 3);
        long w2 = page.get(b + 2);
        int flags = (int) (w3 >>> 48) & 0xFF;
        IoreqType type = IoreqType.fromCode((int) (w3 >>> 56) & 0xFF);
        return new Ioreq(page.get(b), page.get(b + 1), w2 & 0xFFFFFFFFL, w2 >>> 32, w3 & 0xFFFFFFFFL,
                flags & 0xF, (flags & 0x10) != 0, IoDirection.fromCode((flags >>> 5) & 1), (flags & 0x40) != 0,
                type == null ? IoreqType.PIO : type);
    }

    /**
     * {@code *p = *proto_p}: writes the whole slot, the state word last. The other words need only be
     * atomic (opaque): the state word's store publishes them, and every reader reads the state word
     * first. That store is volatile, not merely release: Xen publishes the state and then tests the
     * emulator port's pending bit (evtchn_set_pending's locked bit operation orders the two); with a
     * release store the test may be ordered first, and if it finds the bit still set from an earlier
     * event, the emulator may clear it and read the old state, and the request is never served.
     */
    public void store(int vcpu, Ioreq p) {
        store(vcpu, p, p.vpEport(), p.state());
    }

    /**
     * {@link #store} of {@code p.withPortAndState(vpEport, state)}, without the copy (Xen's send fills
     * in the port and state as it copies the latched request into the slot).
     */
    public void store(int vcpu, Ioreq p, long vpEport, int state) {
        int b = base(vcpu);
        page.setOpaque(b, p.addr());
        page.setOpaque(b + 1, p.data());
        page.setOpaque(b + 2, (p.count() & 0xFFFFFFFFL) | (p.size() << 32));
        long flags = (state & 0xF) | (p.dataIsPtr() ? 0x10 : 0) | ((long) p.dir().code() << 5) | (p.df() ? 0x40 : 0);
        page.set(b + 3, (vpEport & 0xFFFFFFFFL) | (flags << 48) | ((long) p.type().code() << 56));
    }

    private static int base(int vcpu) {
        if (vcpu < 0 || vcpu >= Xen.HVM_MAX_VCPUS) {
            throw new IndexOutOfBoundsException("vCPU " + vcpu + " has no slot in a shared ioreq page");
        }
        return vcpu * 4;
    }

    private static int word3(int vcpu) {
        return base(vcpu) + 3;
    }

    /** Slot state name for diagnostics. */
    public String describe(int vcpu) {
        return IoreqState.name(state(vcpu));
    }
}
