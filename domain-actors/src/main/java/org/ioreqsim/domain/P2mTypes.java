package org.ioreqsim.domain;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Result;

/**
 * The p2m types of a domain's gfns as far as the ioreq subsystem sees them: populated RAM is
 * {@code p2m_ram_rw}, anything else a hole ({@code p2m_invalid}), until {@code XEN_DMOP_set_mem_type}
 * changes a gfn; with {@code p2m->ioreq.entry_count}, the number of {@code p2m_ioreq_server} entries
 * (xen/arch/x86/mm/p2m.c, xen/arch/x86/hvm/dm.c at the seed).
 *
 * <p>Only changed gfns are stored; while no gfn has the type {@code p2m_ioreq_server}, the emulation
 * hot path's {@link #isIoreqServer} is one field read.
 */
final class P2mTypes {

    /** The p2m types the model tells apart, named as Xen's {@code p2m_type_t}. */
    enum Type {
        RAM_RW("ram_rw"), RAM_RO("ram_ro"), MMIO_DM("mmio_dm"), IOREQ_SERVER("ioreq_server"), INVALID("invalid");

        final String xenName;

        Type(String xenName) {
            this.xenName = xenName;
        }

        boolean isRam() { // P2M_RAM_TYPES
            return this == RAM_RW || this == RAM_RO || this == IOREQ_SERVER;
        }

        boolean isHole() { // P2M_HOLE_TYPES
            return this == MMIO_DM || this == INVALID;
        }
    }

    /** {@code hvmmem_type_t}: HVMMEM_ram_rw, ram_ro, mmio_dm, unused, ioreq_server. */
    private static final Type[] HVMMEM = {Type.RAM_RW, Type.RAM_RO, Type.MMIO_DM, null, Type.IOREQ_SERVER};

    private final GuestPhysmap physmap;
    private final Map<Long, Type> changed = new HashMap<>();
    private int ioreqEntries;

    P2mTypes(GuestPhysmap physmap) {
        this.physmap = physmap;
    }

    /** The gfn's type, as a query ({@code get_gfn_query_unlocked}) reports it. */
    Type type(long gfn) {
        Type t = changed.isEmpty() ? null : changed.get(gfn);
        return t != null ? t : physmap.isPopulatedGfn(gfn) ? Type.RAM_RW : Type.INVALID;
    }

    /** Whether the gfn has type {@code p2m_ioreq_server} (no lookup while none has). */
    boolean isIoreqServer(long gfn) {
        return ioreqEntries != 0 && changed.get(gfn) == Type.IOREQ_SERVER;
    }

    /** {@code p2m->ioreq.entry_count}. */
    int ioreqEntryCount() {
        return ioreqEntries;
    }

    /**
     * {@code HVMOP_get_mem_type}'s answer for a gfn: mmio_dm for MMIO types and holes, ioreq_server,
     * ram_ro, or ram_rw.
     */
    String hvmmemName(long gfn) {
        Type t = type(gfn);
        return t == Type.INVALID ? Type.MMIO_DM.xenName : t.xenName;
    }

    /**
     * {@code set_mem_type} (dm.c): EINVAL if the range is empty, wraps, or ends past the highest gfn
     * ({@code domain_get_maximum_gpfn}); EINVAL for a type past HVMMEM_ioreq_server or HVMMEM_unused;
     * for HVMMEM_ioreq_server, EOPNOTSUPP without HAP and EINVAL while no server claims the type. Then gfn
     * by gfn, {@code allow_p2m_type_change} or EINVAL; the gfns changed before a refused one stay
     * changed. (Xen checks for preemption every 256 gfns; the model never preempts.)
     */
    Result<Long> setMemType(long firstPfn, long nr, long memType, boolean hap, boolean claimed) {
        long lastPfn = firstPfn + nr - 1;
        if (Long.compareUnsigned(firstPfn, lastPfn) > 0 || Long.compareUnsigned(lastPfn, physmap.maxGfn()) > 0) {
            return Result.err(Errno.EINVAL);
        }
        if (Long.compareUnsigned(memType, HVMMEM.length) >= 0 || HVMMEM[(int) memType] == null) {
            return Result.err(Errno.EINVAL);
        }
        Type target = HVMMEM[(int) memType];
        if (target == Type.IOREQ_SERVER) {
            if (!hap) {
                return Result.err(Errno.EOPNOTSUPP);
            }
            if (!claimed) {
                return Result.err(Errno.EINVAL);
            }
        }
        for (long iter = 0; iter < nr; iter++) {
            long gfn = firstPfn + iter;
            Type t = type(gfn);
            if (!allowChange(t, target)) {
                return Result.err(Errno.EINVAL);
            }
            change(gfn, t, target);
        }
        return Result.ok(0L);
    }

    /** {@code allow_p2m_type_change}. */
    static boolean allowChange(Type old, Type target) {
        if (target == Type.IOREQ_SERVER) {
            return old == Type.RAM_RW;
        }
        if (old == Type.IOREQ_SERVER) {
            return target == Type.RAM_RW;
        }
        return old.isRam() || (old.isHole() && target == Type.MMIO_DM);
    }

    /** {@code p2m_change_type_one}, keeping {@code ioreq.entry_count}. */
    private void change(long gfn, Type old, Type target) {
        if (old == Type.IOREQ_SERVER) {
            ioreqEntries--;
        }
        if (target == Type.IOREQ_SERVER) {
            ioreqEntries++;
        }
        Type natural = physmap.isPopulatedGfn(gfn) ? Type.RAM_RW : Type.INVALID;
        if (target == natural) {
            changed.remove(gfn);
        } else {
            changed.put(gfn, target);
        }
    }

    /**
     * After a release by {@code XEN_DMOP_map_mem_type_to_ioreq_server} with flags 0:
     * {@code p2m_change_entry_type_global(p2m_ioreq_server -> p2m_ram_rw)} and the dm_op's
     * {@code p2m_finish_type_change} loop over every gfn, so every entry is RAM again and the count is 0
     * when the call returns (its continuations are invisible to the caller). Returns the entries reset.
     */
    int resetIoreqServerEntries() {
        int n = 0;
        for (Iterator<Map.Entry<Long, Type>> it = changed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Type> e = it.next();
            if (e.getValue() == Type.IOREQ_SERVER) {
                if (physmap.isPopulatedGfn(e.getKey())) {
                    it.remove();
                } else {
                    e.setValue(Type.RAM_RW);
                }
                n++;
            }
        }
        ioreqEntries = 0;
        return n;
    }
}
