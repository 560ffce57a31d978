package org.ioreqsim.domain;

import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;

/**
 * The per-op part of {@code dm_op()} (xen/arch/x86/hvm/dm.c) for the ioreq ops, after the
 * hypervisor-level preamble, with the checks of the ioreq.c function each op calls, in Xen's order.
 * Ops that pause the target (create, destroy, set_state) come back as a {@link Paused} plan that the
 * domain actor runs once its vCPUs have stopped.
 */
final class DmOps {

    /** What to do with a dm_op. */
    sealed interface Plan {
    }

    /** Answer now. */
    record Done(Result<HypercallOutput> result) implements Plan {
    }

    /** Pause the domain, {@link #runPaused run} the op, answer with its result, unpause. */
    sealed interface Paused extends Plan {
    }

    /** The rest of {@code hvm_create_ioreq_server}, from its {@code domain_pause}. */
    record CreatePaused(int caller, int handleBufioreq) implements Paused {
    }

    /** {@code hvm_set_ioreq_server_state} on the server the checks found. */
    record SetStatePaused(HvmIoreqServer server, boolean enabled) implements Paused {
    }

    /** {@code hvm_destroy_ioreq_server} on the server the checks found. */
    record DestroyPaused(HvmIoreqServer server) implements Paused {
    }

    private final IoreqServers servers;
    private final XenOptions options;
    private final boolean hap;
    private final boolean hvm;

    DmOps(IoreqServers servers, XenOptions options, boolean hap, boolean hvm) {
        this.servers = servers;
        this.options = options;
        this.hap = hap;
        this.hvm = hvm;
    }

    Plan plan(int caller, DmOp op) {
        if (op instanceof DmOp.CreateIoreqServer c) {
            return create(caller, c);
        } else if (op instanceof DmOp.GetIoreqServerInfo g) {
            return getInfo(caller, g);
        } else if (op instanceof DmOp.MapIoRangeToIoreqServer m) {
            return done(range(caller, m.id(), m.pad(), m.start(), m.end(),
                    s -> servers.mapRange(s, m.type(), m.start(), m.end())));
        } else if (op instanceof DmOp.UnmapIoRangeFromIoreqServer u) {
            return done(range(caller, u.id(), u.pad(), u.start(), u.end(),
                    s -> servers.unmapRange(s, u.type(), u.start(), u.end())));
        } else if (op instanceof DmOp.SetIoreqServerState st) {
            return setState(caller, st);
        } else if (op instanceof DmOp.DestroyIoreqServer d) {
            return destroy(caller, d);
        } else if (op instanceof DmOp.MapMemTypeToIoreqServer mm) {
            return done(mapMemType(caller, mm));
        }
        return done(Result.err(Errno.ENOSYS));
    }

    /** pad -> [hvm_create_ioreq_server] handle_bufioreq > 2 -> (pause) ENOSPC -> init errors. */
    private Plan create(int caller, DmOp.CreateIoreqServer c) {
        if (c.pad0() != 0 || c.pad1() != 0 || c.pad2() != 0) {
            return done(Result.err(Errno.EINVAL));
        }
        if (c.handleBufioreq() > 2) {
            return done(Result.err(Errno.EINVAL));
        }
        return new CreatePaused(caller, c.handleBufioreq());
    }

    /** flags & ~no_gfns -> [pre-seed id 0] -> ENOENT -> EPERM -> page mapping errors. */
    private Plan getInfo(int caller, DmOp.GetIoreqServerInfo g) {
        if ((g.flags() & ~Xen.DMOP_NO_GFNS) != 0) {
            return done(Result.err(Errno.EINVAL));
        }
        if (isLegacyDefaultId(g.id())) {
            return done(Result.err(Errno.EOPNOTSUPP));
        }
        boolean wantGfns = (g.flags() & Xen.DMOP_NO_GFNS) == 0;
        return done(servers.lookupOwned(caller, g.id()).then(s -> servers.getInfo(s, wantGfns, g.bufioreqPort(),
                g.ioreqGfn(), g.bufioreqGfn())));
    }

    /** map/unmap: pad -> start > end (XSA-238) -> [pre-seed id 0] -> ENOENT -> EPERM -> type -> the change. */
    private Result<HypercallOutput> range(int caller, int id, int pad, long start, long end,
                                          java.util.function.Function<HvmIoreqServer, Result<HypercallOutput>> op) {
        if (pad != 0) {
            return Result.err(Errno.EINVAL);
        }
        if (Long.compareUnsigned(start, end) > 0) {
            return Result.err(Errno.EINVAL);
        }
        if (isLegacyDefaultId(id)) {
            return Result.err(Errno.EOPNOTSUPP);
        }
        return servers.lookupOwned(caller, id).then(op);
    }

    /** pad -> [pre-seed id 0] -> ENOENT -> EPERM -> (pause) enable/disable. */
    private Plan setState(int caller, DmOp.SetIoreqServerState st) {
        if (st.pad() != 0) {
            return done(Result.err(Errno.EINVAL));
        }
        if (isLegacyDefaultId(st.id())) {
            return done(Result.err(Errno.EOPNOTSUPP));
        }
        Result<HvmIoreqServer> s = servers.lookupOwned(caller, st.id());
        if (!s.isOk()) {
            return done(Result.err(s.errnoOrNull()));
        }
        return new SetStatePaused(s.value(), st.enabled() != 0);
    }

    /** pad -> [pre-seed id 0: EPERM] -> ENOENT -> EPERM -> (pause) release claim, disable, deinit. */
    private Plan destroy(int caller, DmOp.DestroyIoreqServer d) {
        if (d.pad() != 0) {
            return done(Result.err(Errno.EINVAL));
        }
        if (isLegacyDefaultId(d.id())) {
            return done(Result.err(Errno.EPERM));
        }
        Result<HvmIoreqServer> s = servers.lookupOwned(caller, d.id());
        if (!s.isOk()) {
            return done(Result.err(s.errnoOrNull()));
        }
        return new DestroyPaused(s.value());
    }

    /** Runs a paused op once the domain is paused (its checks before the pause have passed). */
    Result<HypercallOutput> runPaused(Paused p) {
        if (p instanceof CreatePaused c) {
            return servers.create(c.caller(), c.handleBufioreq());
        } else if (p instanceof SetStatePaused st) {
            return servers.setState(st.server(), st.enabled());
        }
        return servers.destroy(((DestroyPaused) p).server()).map(x -> HypercallOutput.None.INSTANCE);
    }

    /**
     * HAP -> (continuation: 0) -> [pre-seed id 0] -> type != HVMMEM_ioreq_server -> flags & ~WRITE ->
     * ENOENT -> EPERM -> claim (EBUSY) or release (EINVAL if not the owner).
     */
    private Result<HypercallOutput> mapMemType(int caller, DmOp.MapMemTypeToIoreqServer mm) {
        if (!hap) {
            return Result.err(Errno.EOPNOTSUPP);
        }
        HypercallOutput unchanged = new HypercallOutput.MemTypeOpaque(mm.opaque());
        if (mm.opaque() != 0) {
            return Result.ok(unchanged);
        }
        if (isLegacyDefaultId(mm.id())) {
            return Result.err(Errno.EOPNOTSUPP);
        }
        if (mm.type() != Xen.HVMMEM_IOREQ_SERVER) {
            return Result.err(Errno.EINVAL);
        }
        if ((mm.flags() & ~(long) Xen.DMOP_IOREQ_MEM_ACCESS_WRITE) != 0) {
            return Result.err(Errno.EINVAL);
        }
        return servers.lookupOwned(caller, mm.id()).then(s -> servers.setMemTypeServer(s, mm.flags()))
                .map(x -> unchanged);
    }

    /**
     * {@code XENMEM_acquire_resource} for an ioreq server (past the preamble): EINVAL if the domain is not
     * HVM, then per frame as {@code hvm_get_ioreq_server_frame}; the first failing frame fails the call.
     */
    Result<HypercallOutput> acquireResource(int caller, long id, long frame, long nrFrames) {
        if (!hvm) {
            return Result.err(Errno.EINVAL);
        }
        List<Long> mfns = new ArrayList<>();
        Result<HypercallOutput> out = null;
        for (long k = 0; k < nrFrames && out == null; k++) {
            long idx = frame + k;
            // hvm_get_ioreq_server_frame, per frame: pre-seed, id 0 (the default server) -> EOPNOTSUPP first
            Result<Long> r = isLegacyDefaultId((int) id) ? Result.err(Errno.EOPNOTSUPP)
                    : servers.lookupOwned(caller, id).then(s -> servers.getFrame(s, idx));
            if (r.isOk()) {
                mfns.add(r.value());
            } else {
                out = Result.err(r.errnoOrNull());
            }
        }
        if (out == null) {
            out = Result.ok(new HypercallOutput.ResourceFrames(mfns, nrFrames));
        }
        return out;
    }

    /** Pre-seed, ops on id 0 (DEFAULT_IOSERVID) are refused before the lookup. */
    private boolean isLegacyDefaultId(int id) {
        return options.legacyDefaultServer() && id == 0;
    }

    private static Plan done(Result<HypercallOutput> r) {
        return new Done(r);
    }
}
