package org.ioreqsim.sim.stress.monitor;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.vcpu.GuestOp;

/**
 * What the checkers share between steps: per domain, per server (one generation of a slot) and per
 * vCPU, the last state they read and the facts that one rule family records and another uses to
 * explain later behaviour (a page zeroed under a request, an emulator that broke the protocol, a
 * failed vCPU creation). {@link LifecycleChecker} keeps the server table in step with Xen's; a fact
 * is written by the checker of its family and only read by the others. What only one checker needs
 * it keeps itself.
 */
final class Shadows {
    private Shadows() {
    }

    /** Slots tracked per server page: vCPU ids below this. */
    static final int TRACKED_VCPUS = 16;

    /** One request a vCPU has outstanding at one server generation. */
    record InFlight(int server, int generation, Ioreq request, Ioreq original, int step) {
    }

    static final class DomainShadow {
        final int domid;
        XenInspector x;
        EventChannelTable table;
        final ServerShadow[] servers = new ServerShadow[Xen.MAX_NR_IOREQ_SERVERS];
        final Map<Integer, VcpuShadow> vcpus = new TreeMap<>();
        /** vCPU ids whose creation failed part-way (H2 context). */
        final TreeSet<Integer> failedAdds = new TreeSet<>();
        int generation;
        boolean killed;
        boolean killChecked;
        boolean crashed;
        /**
         * A hypervisor fault aborted an operation half way (H11/H12: Xen would touch freed memory): the
         * domain's physmap no longer follows its servers' states.
         */
        boolean faulted;
        /** Why a vCPU's emulation failure is crashing the domain ("" if unexplained), until the crash is seen. */
        String vcpuCrashCause;
        /** A leak attributed to H2 happened (later leaks of the same ports are its consequence). */
        boolean h2Leak;
        /**
         * H14 happened: a second NR_IOREQ_SERVER_PAGES marked held gfns free, so a gfn page may hold another
         * server's page, now or after its first holder is gone.
         */
        boolean gfnsHandedOutTwice;
        /**
         * Where the domain's fresh buffered rings start their pointers (the program's ring-wrap setting); told
         * to the monitor of a free run, which cannot watch the rings, so 0 in a controlled one.
         */
        long ringStart;
        /** Xen freed ports of live servers (destroy, vCPU removal) that may be handed out again. */
        boolean portChurn;
        /**
         * Pages of servers destroyed in this step: the destroy's disable zeroed them when they were gfn
         * pages, which another server sharing the gfn (H14) sees as its own slots being reset.
         */
        final java.util.List<Object> pagesResetThisStep = new java.util.ArrayList<>();
        /** An AddVcpu of this domain is outstanding at the toolstack. */
        int addVcpuOutstanding;
        /** A client's start-up (server creation) is outstanding. */
        int startsOutstanding;

        DomainShadow(int domid) {
            this.domid = domid;
        }

        VcpuShadow vcpu(int v) {
            return vcpus.computeIfAbsent(v, VcpuShadow::new);
        }

        int liveServers() {
            int n = 0;
            for (ServerShadow s : servers) {
                if (s != null) {
                    n++;
                }
            }
            return n;
        }
    }

    /** One server (one generation of a slot id). */
    static final class ServerShadow {
        final int id;
        final int generation;
        final int emulatorDomid;
        boolean enabled;
        /** Identity of the synchronous page whose slots are tracked, or null. */
        Object page;
        Object bufPage;
        final int[] slot = new int[TRACKED_VCPUS];
        final long[] vpEport = new long[TRACKED_VCPUS];
        long rp;
        long wp;
        long ioreqGfn = Xen.INVALID_GFN;
        long bufGfn = Xen.INVALID_GFN;
        /** Its ports (ioreq and bufioreq), as of the last check. */
        final BitSet ports = new BitSet();
        /** Its range sets by type code, kept from the maps and unmaps Xen reported (spec 10.3-10.5). */
        final IntervalSet[] ranges = {new IntervalSet(), new IntervalSet(), new IntervalSet()};
        /** The step at which it was created. */
        int createdStep = -1;
        /** vCPUs it held entries for after the last check. */
        final BitSet entryVcpus = new BitSet();

        /** Records one of its ports (a negative number, which no entry has, is not one). */
        void addPort(int port) {
            if (port >= 0) {
                ports.set(port);
            }
        }
        boolean enabledWithoutPage;
        boolean gfnMappedWhileEnabled;
        /** One of its gfns was held by another server too (H14): the other's writes land in its page. */
        boolean pageShared;
        boolean pageDropped;
        boolean hadIoreqPage;
        /** A set_state ran in this step (enable/disable may zero gfn pages). */
        boolean stateChangedThisStep;
        final boolean[] zeroedUnderRequest = new boolean[TRACKED_VCPUS];
        final boolean[] emulatorMisbehaved = new boolean[TRACKED_VCPUS];
        final boolean[] dirtyFromRemovedVcpu = new boolean[TRACKED_VCPUS];
        /** The data a manual client answered for the vCPU's current request, or null. */
        final Long[] answered = new Long[TRACKED_VCPUS];
        int bufferedThisStep;
        boolean emulatorAlive;
        String emulatorKey;
        String emulatorEnd;

        ServerShadow(int id, int generation, int emulatorDomid) {
            this.id = id;
            this.generation = generation;
            this.emulatorDomid = emulatorDomid;
            java.util.Arrays.fill(slot, IoreqState.NONE);
        }
    }

    static final class VcpuShadow {
        final int vcpu;
        final List<InFlight> inflight = new ArrayList<>();
        boolean orphaned;
        /**
         * Orphaned (H1) and not sent a request of its own since: its latched {@code vio->io_req} may still be
         * stale, failing a later emulation even after a broadcast woke it.
         */
        boolean staleLatch;
        /** A server its current request went to was destroyed while it waited (H1, also for broadcasts). */
        boolean lostServer;
        boolean opOutstanding;
        int opIncarnation;
        GuestOp currentOp;
        long lastConsumed;
        int lastConsumedState = -1;
        long lastCf8Write = -1;
        String lastRefusal;
        int lastRefusalServer = -1;
        /** The refusal's slot was left dirty by a removed vCPU, an emulator's deviation, or H12/H13. */
        String lastRefusalCause;
        int incarnation;

        VcpuShadow(int vcpu) {
            this.vcpu = vcpu;
        }

        boolean inflightAt(int server, int generation) {
            for (InFlight f : inflight) {
                if (f.server() == server && f.generation() == generation) {
                    return true;
                }
            }
            return false;
        }

        InFlight remove(int server, int generation) {
            for (int i = 0; i < inflight.size(); i++) {
                InFlight f = inflight.get(i);
                if (f.server() == server && f.generation() == generation) {
                    return inflight.remove(i);
                }
            }
            return null;
        }
    }
}
