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
    private final GrantTable grants;
    private final P2mTypes p2m;

    DmOps(IoreqServers servers, XenOptions options, boolean hap, boolean hvm, GrantTable grants, P2mTypes p2m) {
        this.servers = servers;
        this.p2m = p2m;
        this.grants = grants;
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
        } else if (op instanceof DmOp.SetMemType sm) {
            return done(setMemType(sm));
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
        return servers.lookupOwned(caller, mm.id()).then(s -> claimOrRelease(s, mm.flags())).map(x -> unchanged);
    }

    /**
     * {@code p2m_set_ioreq_server}: a claim is also EBUSY while {@code p2m_ioreq_server} entries remain
     * (a server destroyed with the claim leaves its entries: only {@code set_mem_type} to ram_rw removes
     * them); a release resets every entry to ram_rw ({@code p2m_change_entry_type_global} and the
     * dm_op's {@code p2m_finish_type_change} loop).
     */
    private Result<HypercallOutput> claimOrRelease(HvmIoreqServer s, long flags) {
        if (flags != 0 && servers.memTypeOwner() < 0 && p2m.ioreqEntryCount() != 0) {
            return Result.err(Errno.EBUSY);
        }
        Result<HypercallOutput> r = servers.setMemTypeServer(s, flags);
        if (r.isOk() && flags == 0) {
            p2m.resetIoreqServerEntries();
        }
        return r;
    }

    /** {@code XEN_DMOP_set_mem_type}: pad -> EINVAL, then {@code set_mem_type} ({@link P2mTypes}). */
    private Result<HypercallOutput> setMemType(DmOp.SetMemType sm) {
        if (sm.pad() != 0) {
            return Result.err(Errno.EINVAL);
        }
        return p2m.setMemType(sm.firstPfn(), sm.nr(), sm.memType(), hap, servers.memTypeOwner() >= 0)
                .map(x -> HypercallOutput.None.INSTANCE);
    }

    /**
     * {@code XENMEM_acquire_resource} past the preamble and XSM, by type: grant table frames
     * ({@code acquire_grant_table}), ioreq server frames ({@code arch_acquire_resource}: EINVAL for an id
     * past 16 bits, then per frame as {@code hvm_get_ioreq_server_frame}, the first failing frame failing
     * the call), anything else EOPNOTSUPP. A translated caller other than the hardware domain may map only frames it owns
     * ({@code XENMEM_rsrc_acq_caller_owned}, which ioreq frames are): grant frames are EACCES for it,
     * after they were acquired (the table has grown).
     */
    Result<HypercallOutput> acquireResource(int caller, long type, long id, long frame, long nrFrames,
                                            boolean translatedNonHardwareCaller) {
        if (type == Xen.XENMEM_RESOURCE_GRANT_TABLE) {
            Result<List<Long>> r = grants.acquire(id, frame, nrFrames);
            if (!r.isOk()) {
                return Result.err(r.errnoOrNull());
            }
            return translatedNonHardwareCaller ? Result.err(Errno.EACCES)
                    : Result.ok(new HypercallOutput.ResourceFrames(r.value(), nrFrames));
        }
        if (type != Xen.XENMEM_RESOURCE_IOREQ_SERVER) {
            return Result.err(Errno.EOPNOTSUPP);
        }
        if (Long.compareUnsigned(id, 0xFFFF) > 0) {
            return Result.err(Errno.EINVAL); // ioservid_t
        }
        List<Long> mfns = new ArrayList<>();
        Result<HypercallOutput> out = null;
        for (long k = 0; k < nrFrames && out == null; k++) {
            long idx = frame + k;
            // hvm_get_ioreq_server_frame, per frame: pre-seed, id 0 (the default server) -> EOPNOTSUPP first,
            // then a target that is not HVM -> EINVAL (so no frames asked is 0 even then)
            Result<Long> r = isLegacyDefaultId((int) id) ? Result.err(Errno.EOPNOTSUPP)
                    : !hvm ? Result.err(Errno.EINVAL)
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

    /** The domain's grant table (its frames go when the domain is killed). */
    GrantTable grantTable() {
        return grants;
    }

    /** Pre-seed, ops on id 0 (DEFAULT_IOSERVID) are refused before the lookup. */
    private boolean isLegacyDefaultId(int id) {
        return options.legacyDefaultServer() && id == 0;
    }

    private static Plan done(Result<HypercallOutput> r) {
        return new Done(r);
    }
}
