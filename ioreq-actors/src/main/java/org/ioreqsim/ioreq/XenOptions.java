package org.ioreqsim.ioreq;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Named deviations from the seed commit (spec section 17). Every flag defaults to off, which is Xen
 * at commit 2c257bd6; each one turns on Xen's behaviour before the seed or after a later fix, so that
 * the same workload can be compared across versions.
 *
 * @param legacyDefaultServer        pre-seed: the catch-all default server (section 14)
 * @param fixOrphanedCompletion      f7039ee41b: completion resets the latched state even with no pending server (H1)
 * @param fixBufferedDropClaim       2e0b545b84: unbufferable requests answer UNHANDLEABLE instead of a false OKAY (H5)
 * @param skipNonBufferedInBroadcast a44734df6c: buffered broadcasts skip bufioreq-OFF servers silently
 * @param useLegacyGfns              3486f398a3: params 5/6 gfns serve once the pool is empty
 * @param amdExtendedCf8             decode CF8 bits 27..24 as extended register bits on AMD guests
 * @param fixAddVcpuCleanup          215f2576b0: undo the right servers when adding a vCPU fails (H2)
 */
public record XenOptions(boolean legacyDefaultServer, boolean fixOrphanedCompletion, boolean fixBufferedDropClaim,
                         boolean skipNonBufferedInBroadcast, boolean useLegacyGfns, boolean amdExtendedCf8,
                         boolean fixAddVcpuCleanup) {

    /** Xen at the seed commit. */
    public static final XenOptions SEED = new XenOptions(false, false, false, false, false, false, false);

    /** The flag names, as users type them. */
    public static final List<String> NAMES = List.of("legacyDefaultServer", "fixOrphanedCompletion",
            "fixBufferedDropClaim", "skipNonBufferedInBroadcast", "useLegacyGfns", "amdExtendedCf8",
            "fixAddVcpuCleanup");

    /** The later-fix flags (everything but the pre-seed mode and the CPU-dependent decode). */
    public static final List<String> FIX_NAMES = List.of("fixOrphanedCompletion", "fixBufferedDropClaim",
            "skipNonBufferedInBroadcast", "useLegacyGfns", "fixAddVcpuCleanup");

    /** This set of options with one flag changed; unknown names throw {@link IllegalArgumentException}. */
    public XenOptions with(String name, boolean on) {
        boolean[] f = flags();
        f[indexOf(name)] = on;
        return new XenOptions(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
    }

    public boolean get(String name) {
        return flags()[indexOf(name)];
    }

    /** Seed options with the named flags on. */
    public static XenOptions of(Collection<String> names) {
        XenOptions o = SEED;
        for (String n : names) {
            o = o.with(n, true);
        }
        return o;
    }

    /** Seed options with every later fix on. */
    public static XenOptions allFixes() {
        return of(FIX_NAMES);
    }

    /** The names of the flags that are on. */
    public List<String> enabled() {
        List<String> out = new ArrayList<>();
        boolean[] f = flags();
        for (int i = 0; i < f.length; i++) {
            if (f[i]) {
                out.add(NAMES.get(i));
            }
        }
        return out;
    }

    private boolean[] flags() {
        return new boolean[] {legacyDefaultServer, fixOrphanedCompletion, fixBufferedDropClaim,
            skipNonBufferedInBroadcast, useLegacyGfns, amdExtendedCf8, fixAddVcpuCleanup};
    }

    private static int indexOf(String name) {
        for (int i = 0; i < NAMES.size(); i++) {
            if (NAMES.get(i).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown option '" + name + "' (known: " + String.join(", ", NAMES) + ")");
    }
}
