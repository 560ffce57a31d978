package org.ioreqsim.sim.stress.monitor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;

/**
 * A server's pages and the gfns they are mapped at (spec 11: the ioreq gfn pool, 11.2; enable and
 * disable move the gfns out of and back into the guest physmap, 11.3; the pages themselves, 10.7):
 * one owner per gfn, a held gfn is not free, a given-up gfn is free and guest RAM again; and the
 * hazards that bend these rules — a dropped page (H11), an enable before the pages exist (H12, noted
 * by {@link LifecycleChecker}), gfns mapped while enabled (H13), a re-set pool (H14).
 */
final class PageChecker extends Checker {
    /** Gfns held by live servers after the last step, per domain. */
    private final Map<Integer, Map<Long, ServerShadow>> heldGfns = new HashMap<>();
    /** Domains whose NR_IOREQ_SERVER_PAGES was set a second time (H14 context). */
    private final Set<Integer> poolReset = new HashSet<>();

    PageChecker(Context ctx) {
        super(ctx);
    }

    @Override
    void register(EventRouter router) {
        // reads Xen's state between steps only
    }

    /** Spec 13, H14: setting NR_IOREQ_SERVER_PAGES again to its value marks held gfns free. */
    void beforeStep(DomainShadow d, Object msg) {
        if (d != null && d.x != null && msg instanceof Domain.SetParam p
                && p.index() == HvmParam.NR_IOREQ_SERVER_PAGES && !p.guest() && d.x.param(p.index()) != 0
                && d.x.param(p.index()) == p.value()) {
            poolReset.add(d.domid);
        }
    }

    /** Notices page changes: a new synchronous page starts fresh; a page that vanished is H11. */
    void trackPages(DomainShadow d, ServerShadow ss, ServerView sv) {
        IoreqPage page = sv.ioreqPage();
        Object id = page == null ? null : page.page();
        if (id == null && ss.page == null && !ss.pageDropped && !sv.isDefault() && sv.ioreqGfn() != Xen.INVALID_GFN) {
            // a gfn without its page is what a dropped page leaves; mapped and dropped in one step (a get_info
            // and an acquire_resource waiting for the same pause), the page was never seen to vanish
            ss.pageDropped = true;
            finding("H11", "d" + d.domid + " server " + ss.id + " lost its synchronous page without being destroyed "
                    + "(mapped at gfn 0x" + Long.toHexString(sv.ioreqGfn()) + " and dropped by a failed acquire_resource "
                    + "in the same step)");
        }
        if (id != ss.page) {
            // a server keeps its page for life unless it drops it; one that is replaced (dropped and mapped
            // afresh by a get_info in the same step) was dropped too
            if (ss.page != null) {
                if (ss.stateChangedThisStep) {
                    // enabled or disabled in this step before the drop: that zeroed the gfn page, which a server
                    // sharing the gfn (H14) sees as its own slots being reset
                    d.pagesResetThisStep.add(ss.page);
                }
                ss.pageDropped = true;
                finding("H11", "d" + d.domid + " server " + ss.id + " lost its synchronous page without being "
                        + "destroyed (a failed acquire_resource on a gfn-mapped server drops it)"
                        + (id != null ? "; a new page took its place in the same step" : ""));
            }
            ss.page = id;
            if (page != null) {
                ss.hadIoreqPage = true;
                for (int v = 0; v < Shadows.TRACKED_VCPUS; v++) {
                    ss.slot[v] = page.state(v);
                    ss.vpEport[v] = page.vpEport(v);
                }
                // (a fresh acquire_resource page keeps a dropped page's gfn (H11) but is not in the physmap)
                if (ss.enabled && sv.ioreqGfn() != Xen.INVALID_GFN && d.x.isGuestRam(sv.ioreqGfn())) {
                    ss.gfnMappedWhileEnabled = true;
                    finding("H13", "d" + d.domid + " server " + ss.id + " had its pages mapped to gfn 0x"
                            + Long.toHexString(sv.ioreqGfn()) + " while enabled: the page stays guest-visible");
                }
            }
        }
        BufferedIoreqPage ring = sv.bufferedPage();
        Object bid = ring == null ? null : ring.page();
        if (bid != ss.bufPage) {
            ss.bufPage = bid;
            if (ring != null) {
                long p = ring.pointers();
                ss.rp = BufferedIoreqPage.readPointerOf(p) & 0xFFFFFFFFL;
                ss.wp = BufferedIoreqPage.writePointerOf(p) & 0xFFFFFFFFL;
            }
        }
    }

    /** Spec 11.2 and 11.3, after a step of the domain: every gfn against the pool and the physmap. */
    void checkGfns(DomainShadow d) {
        boolean reset = poolReset.contains(d.domid);
        long base = d.x.gfnPoolBase();
        long mask = d.x.gfnPoolMask();
        Map<Long, ServerShadow> held = new TreeMap<>();
        Set<Long> shared = new TreeSet<>();
        for (ServerShadow ss : d.servers) {
            ServerView sv = ss == null ? null : d.x.server(ss.id);
            if (sv == null || sv.isDefault()) {
                continue;
            }
            for (long gfn : new long[] {sv.ioreqGfn(), sv.bufioreqGfn()}) {
                if (gfn == Xen.INVALID_GFN) {
                    continue;
                }
                ServerShadow other = held.put(gfn, ss);
                if (other != null) {
                    shared.add(gfn);
                    other.pageShared = true;
                    ss.pageShared = true;
                    if (reset) {
                        finding("H14", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " held by servers " + other.id
                                + " and " + ss.id + " after NR_IOREQ_SERVER_PAGES was set again");
                    } else {
                        violation("gfn.double-allocation", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn)
                                + " is held by servers " + other.id + " and " + ss.id);
                    }
                }
            }
        }
        for (ServerShadow ss : d.servers) {
            ServerView sv = ss == null ? null : d.x.server(ss.id);
            if (sv == null || sv.isDefault()) {
                continue;
            }
            long ig = sv.ioreqGfn();
            long bg = sv.bufioreqGfn();
            if (ss.ioreqGfn == Xen.INVALID_GFN && ss.bufGfn == Xen.INVALID_GFN && ig != Xen.INVALID_GFN
                    && bg != Xen.INVALID_GFN && ig - base >= 0 && ig - base < 64 && bg - base >= 0 && bg - base < 64
                    && Long.compareUnsigned(ig, bg) > 0 && !reset && !legacy(d, ig) && !legacy(d, bg)) {
                violation("gfn.mapping-order", "d" + d.domid + " server " + ss.id + " mapped its buffered page at gfn 0x"
                        + Long.toHexString(bg) + " before its ioreq page at 0x" + Long.toHexString(ig)
                        + " (hvm_ioreq_server_map_pages maps the ioreq page first, lowest free gfn)");
            }
            ss.ioreqGfn = ig;
            ss.bufGfn = bg;
            for (long gfn : new long[] {ig, bg}) {
                if (gfn == Xen.INVALID_GFN || shared.contains(gfn)) {
                    continue;
                }
                long bit = gfn - base;
                if (!legacy(d, gfn) && bit >= 0 && bit < 64 && (mask & (1L << bit)) != 0) {
                    if (reset) {
                        d.gfnsHandedOutTwice = true;
                        finding("H14", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server " + ss.id
                                + " marked free again by a second NR_IOREQ_SERVER_PAGES");
                    } else {
                        violation("gfn.held-but-free", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server "
                                + ss.id + " is free in the pool");
                    }
                }
                boolean ram = d.x.isGuestRam(gfn);
                if (sv.enabled() && ram && !ss.gfnMappedWhileEnabled && sv.ioreqPage() != null && !d.faulted
                        && !ss.pageShared) {
                    violation("gfn.visible-while-enabled", "d" + d.domid + " server " + ss.id + "'s gfn 0x"
                            + Long.toHexString(gfn) + " is guest RAM while the server is enabled (enable removes it)");
                }
                // (a server that shared a gfn with another (H14) sees the other's enable and disable too)
                if (!sv.enabled() && !ram && !ss.pageDropped && !d.faulted && !ss.pageShared) {
                    violation("gfn.missing-while-disabled", "d" + d.domid + " server " + ss.id + "'s gfn 0x"
                            + Long.toHexString(gfn) + " is not guest RAM while the server is disabled");
                }
            }
        }
        Map<Long, ServerShadow> before = heldGfns.computeIfAbsent(d.domid, k -> new TreeMap<>());
        for (Map.Entry<Long, ServerShadow> e : before.entrySet()) {
            long gfn = e.getKey();
            ServerShadow was = e.getValue();
            if (held.containsKey(gfn)) {
                continue;
            }
            long bit = gfn - base;
            boolean free = legacy(d, gfn) || !(bit >= 0 && bit < 64 && (mask & (1L << bit)) == 0);
            boolean ram = d.x.isGuestRam(gfn) || d.killed;
            if ((!free || !ram) && was.pageDropped) {
                finding("H11", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server " + was.id
                        + " leaked: its page was dropped, so a later mapping took a new gfn");
                continue;
            }
            if ((!free || !ram) && was.pageShared) {
                // another server held the same gfn (H14): its enable took the frame out of the physmap, and a
                // later mapping may have taken the pool bit, whatever this server's destroy did
                finding("H14", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server " + was.id
                        + " was given up while it was shared with another server: the other's enable and disable,"
                        + " not this destroy, decide whether it is free and guest RAM");
                continue;
            }
            if (!free) {
                violation("gfn.not-freed", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server "
                        + was.id + " was given up but not returned to the pool");
            }
            if (!ram) {
                violation("gfn.not-returned", "d" + d.domid + " gfn 0x" + Long.toHexString(gfn) + " of server "
                        + was.id + " was given up but is not back in the guest physmap");
            }
        }
        before.clear();
        before.putAll(held);
    }

    /** A legacy gfn (useLegacyGfns: the IOREQ_PFN/BUFIOREQ_PFN params, spec 13) is not in the pool. */
    private boolean legacy(DomainShadow d, long gfn) {
        return options.useLegacyGfns()
                && (gfn == d.x.param(HvmParam.IOREQ_PFN) || gfn == d.x.param(HvmParam.BUFIOREQ_PFN));
    }
}
