package org.ioreqsim.ioreq.hypercall;

import java.util.Objects;

/**
 * The arguments of {@code HYPERVISOR_dm_op(domid, nr_bufs, bufs)} as the preamble sees them: how many
 * buffers, how long buffer 0 is, the header's {@code pad} word, and the op payload.
 *
 * @param nrBufs    number of buffers (Xen accepts at most 2)
 * @param bufSize   bytes in buffer 0 (header of 8 bytes plus the payload)
 * @param headerPad the u32 after {@code op} in {@code struct xen_dm_op}
 * @param op        the payload
 */
public record DmOpCall(long nrBufs, long bufSize, long headerPad, DmOp op) {

    public DmOpCall {
        Objects.requireNonNull(op, "op");
    }

    /** A well-formed call: one buffer of exactly header plus payload, pad 0. */
    public static DmOpCall of(DmOp op) {
        return new DmOpCall(1, 8L + op.payloadSize(), 0, op);
    }
}
