package org.ioreqsim.sim.stress.monitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.ActorKey;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;
import org.ioreqsim.vcpu.VcpuRequest;

/**
 * Buffered requests (spec 8): written only into an enabled server's ring (8.2), the pointers moving by
 * exactly what was published (8.2; ATOMIC mode keeps them canonical, 8.5), never past 511 slots, the
 * read pointer moved only by the emulator (8.4), one vCPU's VGA writes reaching its emulator in order;
 * and the hazards of the ring — full (H4), an unbufferable request dropped (H5), a TIMEOFFSET broadcast
 * counting a bufioreq-OFF server as failed (S9); a LEGACY ring's pointers wrapping at 2^32, after which
 * its slots mis-index and one vCPU's writes may arrive out of order (H4 again, spec 16).
 */
final class RingChecker extends Checker {
    /** The last VGA write sequence number each emulator received, by "device/vCPU". */
    private final Map<String, Integer> lastVgaSeq = new HashMap<>();
    /** Emulators whose LEGACY ring's pointers wrapped at 2^32 (H4): their slots mis-index from then on. */
    private final Set<String> legacyWrapped = new HashSet<>();
    /** The step's VGA writes that reached their emulator after a later write of the same vCPU. */
    private final List<OutOfOrder> outOfOrder = new ArrayList<>();
    /**
     * In a domain's step, by server id: the ring pointer (unsigned 32-bit) its next buffered write goes to,
     * read before the step and moved by each write of the step; -1 for a server without a ring.
     */
    private final long[] nextWrite = new long[Xen.MAX_NR_IOREQ_SERVERS];
    /** The domain whose step {@link #nextWrite} belongs to, or -1. */
    private int nextWriteDomid = -1;
    /**
     * LEGACY rings by the server (one generation of a slot) they belong to: once the server is gone
     * (destroyed, or its domain killed) its emulator still holds the page and may read on, across 2^32
     * too, which no check of Xen's servers sees.
     */
    private final Map<ServerShadow, LegacyRing> legacyRings = new IdentityHashMap<>();

    /** A LEGACY ring: its page, the emulator that reads it (once known) and the read pointer last seen. */
    private static final class LegacyRing {
        final int domid;
        final BufferedIoreqPage page;
        String emulator;
        long rp;

        LegacyRing(int domid, BufferedIoreqPage page) {
            this.domid = domid;
            this.page = page;
        }
    }

    RingChecker(Context ctx) {
        super(ctx);
    }

    @Override
    void register(EventRouter router) {
        router.on(ModelEvent.BufferedSent.class, this::onBufferedSent);
        router.on(ModelEvent.BufferedNotSent.class, this::onBufferedNotSent);
    }

    private void onBufferedSent(DomainShadow d, ModelEvent.BufferedSent e) {
        if (!direct) {
            return;
        }
        ServerView sv = d.x.server(e.serverId());
        ServerShadow ss = d.servers[e.serverId()];
        if (sv == null || ss == null) {
            violation("buffered.no-server", "d" + d.domid + " buffered a write for empty slot " + e.serverId());
            return;
        }
        if (!sv.enabled()) {
            violation("buffered.disabled-server", "d" + d.domid + " buffered a write into disabled server "
                    + e.serverId());
        }
        ss.bufferedThisStep += e.slots();
        if (sv.bufferedPage() == null) {
            violation("buffered.no-ring", "d" + d.domid + " buffered into server " + e.serverId() + " with no ring");
            return;
        }
        checkSlotPlacement(d, ss, sv.bufferedPage(), e);
    }

    /** Before a step of domain {@code d}'s actor: where each ring's next write goes (its write pointer now). */
    void beforeStep(DomainShadow d) {
        nextWriteDomid = -1;
        if (!direct || d == null || d.x == null || ctx.actor.kind() != ActorKey.Kind.DOMAIN) {
            return;
        }
        nextWriteDomid = d.domid;
        for (int id = 0; id < nextWrite.length; id++) {
            ServerView sv = d.x.server(id);
            BufferedIoreqPage ring = sv == null ? null : sv.bufferedPage();
            nextWrite[id] = ring == null ? -1 : ring.writePointer() & 0xFFFFFFFFL;
        }
    }

    /**
     * Spec 3.2 and 8.2: a write published at pointer {@code p} is in slot {@code p mod 511}, the pointer taken
     * as an unsigned 32-bit number (computed here, not by the page's own helper), and its slot holds the
     * request's data (low 32 bits; an 8-byte request's high half in the next slot). Checked for the guest's
     * buffered writes and the TIMEOFFSET broadcast, whose data the step's message carries.
     */
    private void checkSlotPlacement(DomainShadow d, ServerShadow ss, BufferedIoreqPage ring, ModelEvent.BufferedSent e) {
        if (nextWriteDomid != d.domid || nextWrite[e.serverId()] < 0) {
            return;
        }
        long at = nextWrite[e.serverId()];
        nextWrite[e.serverId()] = e.writePointer() & 0xFFFFFFFFL;
        long data;
        if (ctx.message instanceof VcpuRequest.EmulateIo m && m.request().isWrite() && !m.request().dataIsPtr()
                && m.request().count() == 1) {
            data = m.request().data();
        } else if (ctx.message instanceof VcpuRequest.SendTimeoffset t) {
            data = t.offset();
        } else {
            return;
        }
        if (ss.pageShared || ctx.faultedThisStep()) {
            return;
        }
        for (int k = 0; k < e.slots(); k++) {
            long pointer = (at + k) & 0xFFFFFFFFL;
            int slot = (int) (pointer % Xen.IOREQ_BUFFER_SLOT_NUM);
            long want = k == 0 ? data & 0xFFFFFFFFL : data >>> 32;
            long got = ring.page().get(1 + slot) >>> 32;
            if (got != want) {
                violation("ring.slot-index", "d" + d.domid + " server " + e.serverId() + ": the write published at "
                        + "pointer " + pointer + " belongs in slot " + slot + " (pointer mod 511, unsigned), which "
                        + "holds data 0x" + Long.toHexString(got) + " instead of 0x" + Long.toHexString(want));
                return;
            }
        }
    }

    private void onBufferedNotSent(DomainShadow d, ModelEvent.BufferedNotSent e) {
        if (e.reason().equals("ring full")) {
            finding("H4", "d" + d.domid + " server " + e.serverId() + "'s buffered ring was full");
        } else if (e.reason().contains("(H5)")) {
            finding("H5", "d" + d.domid + " server " + e.serverId() + " dropped an unbufferable request");
        } else if (e.reason().equals("no buffered page") && ctx.message instanceof VcpuRequest.SendTimeoffset) {
            ServerView sv = direct ? d.x.server(e.serverId()) : null;
            if (sv == null || sv.mode() == BufioreqMode.OFF) {
                finding("S9", "d" + d.domid + " TIMEOFFSET broadcast failed for bufioreq-OFF server " + e.serverId());
            }
        }
    }

    /** After a step: each ring's pointers against what was published and who ran. */
    /** The ring in a report (built only when there is one: checkRings runs after nearly every step). */
    private static String where(DomainShadow d, ServerShadow ss, long rp, long wp) {
        return "d" + d.domid + " server " + ss.id + " ring rp=" + rp + " wp=" + wp;
    }

    void checkRings(DomainShadow d) {
        ActorKey actor = ctx.actor;
        for (ServerShadow ss : d.servers) {
            if (ss == null || ss.bufPage == null) {
                continue;
            }
            ServerView sv = d.x.server(ss.id);
            BufferedIoreqPage ring = sv == null ? null : sv.bufferedPage();
            if (ring == null) {
                continue;
            }
            long p = ring.pointers();
            long rp = BufferedIoreqPage.readPointerOf(p) & 0xFFFFFFFFL;
            long wp = BufferedIoreqPage.writePointerOf(p) & 0xFFFFFFFFL;
            long used = (wp - rp) & 0xFFFFFFFFL;
            long usedBefore = (ss.wp - ss.rp) & 0xFFFFFFFFL;
            // (H14: a page of another server at the same gfn overlays the pointer word, so anything goes)
            if (used > Xen.IOREQ_BUFFER_SLOT_NUM && !ss.pageShared) {
                violation("ring.overflow", where(d, ss, rp, wp) + ": " + used + " slots in use (at most 511)");
            }
            // whose ring it is: the emulator the server reported started with, or, before that (an emulator
            // applies ring items while it is still starting), the emulator whose step moved the read pointer
            String ringOf = ss.emulatorKey != null ? ss.emulatorKey
                    : rp != ss.rp && actor.kind() == ActorKey.Kind.EMULATOR && actor.domid() == d.domid ? ctx.actorName
                    : null;
            if (sv.mode() == BufioreqMode.LEGACY) {
                LegacyRing lr = legacyRings.get(ss);
                if (lr == null || lr.page != ring) {
                    lr = new LegacyRing(d.domid, ring);
                    legacyRings.put(ss, lr);
                }
                lr.emulator = ringOf != null ? ringOf : lr.emulator;
                lr.rp = rp;
                if ((wp < ss.wp || rp < ss.rp) && ringOf != null && legacyWrapped.add(ringOf)) {
                    finding("H4", where(d, ss, rp, wp) + ": LEGACY pointers wrapped at 2^32 and the slot index jumped"
                            + " (511 does not divide 2^32); writes after the wrap may overwrite unread ones");
                }
            }
            if (ss.pageShared) {
                // H14: another server holds the same gfn, so its writes and its emulator's reads move this ring too
                ss.rp = rp;
                ss.wp = wp;
                continue;
            }
            if (actor.kind() == ActorKey.Kind.DOMAIN && actor.domid() == d.domid && !Context.stateChangedThisStep(d, ss)
                    && !ctx.faultedThisStep()) {
                if (used != usedBefore + ss.bufferedThisStep) {
                    violation("ring.pointer-arithmetic", where(d, ss, rp, wp) + ": " + usedBefore + " slots used before, "
                            + ss.bufferedThisStep + " published, " + used + " now");
                }
                if (ss.bufferedThisStep > 0 && sv.mode() == BufioreqMode.ATOMIC && rp >= Xen.IOREQ_BUFFER_SLOT_NUM) {
                    violation("ring.not-canonical", where(d, ss, rp, wp) + ": ATOMIC mode leaves rp >= 511 after a send");
                }
            } else if (actor.kind() == ActorKey.Kind.EMULATOR && (used > usedBefore || wp != ss.wp)) {
                finding("EMU", where(d, ss, rp, wp) + ": its emulator moved the write pointer or read past it");
            } else if (actor.kind() != ActorKey.Kind.EMULATOR && actor.kind() != ActorKey.Kind.DOMAIN
                    && (rp != ss.rp || wp != ss.wp)) {
                violation("ring.changed-by-" + actor.kind().name().toLowerCase(Locale.ROOT), where(d, ss, rp, wp));
            }
            ss.rp = rp;
            ss.wp = wp;
        }
    }

    /**
     * After an emulator's step: the LEGACY rings of servers that are gone (their domain's checks no longer
     * see them), read on by their emulator. A read pointer carried across 2^32 there is H4 as on a live ring.
     */
    void checkGoneRings() {
        if (legacyRings.isEmpty() || ctx.actor.kind() != ActorKey.Kind.EMULATOR) {
            return;
        }
        for (Map.Entry<ServerShadow, LegacyRing> e : legacyRings.entrySet()) {
            ServerShadow ss = e.getKey();
            LegacyRing lr = e.getValue();
            DomainShadow d = ctx.domains.get(lr.domid);
            if (d != null && !d.killed && d.servers[ss.id] == ss) {
                continue; // alive: checkRings watches it
            }
            long rp = BufferedIoreqPage.readPointerOf(lr.page.pointers()) & 0xFFFFFFFFL;
            String reader = lr.emulator != null ? lr.emulator : ctx.actorName;
            if (rp < lr.rp && legacyWrapped.add(reader)) {
                finding("H4", "d" + lr.domid + " server " + ss.id + " (gone) ring rp=" + rp + ": its emulator read the"
                        + " LEGACY pointers across 2^32 and the slot index jumped (511 does not divide 2^32)");
            }
            lr.rp = rp;
        }
    }

    /**
     * A VGA write reached emulator {@code device} (data: vCPU and sequence number): in order per vCPU. A
     * write out of order is judged after the step ({@link #judgeVgaOrder}), once the ring check has seen
     * whether the step's reads carried the ring's LEGACY pointers across 2^32.
     */
    void vgaWrite(String device, int data) {
        int vcpu = (data >>> 12) & 0xF;
        int seq = data & 0xFFF;
        String k = device + "/" + vcpu;
        Integer last = lastVgaSeq.get(k);
        if (last != null && seq <= last) {
            outOfOrder.add(new OutOfOrder(device, vcpu, seq, last));
            if (!direct) {
                judgeVgaOrder(); // a free run has no steps to wait for
            }
        }
        lastVgaSeq.put(k, seq);
    }

    /** The step's VGA writes that came after a later one: H4 on a wrapped LEGACY ring, else a violation. */
    void judgeVgaOrder() {
        for (OutOfOrder o : outOfOrder) {
            String what = o.device() + " received vCPU " + o.vcpu() + "'s VGA write #" + o.seq() + " after #" + o.last();
            if (legacyWrapped.contains(o.device())) {
                finding("H4", what + " once its LEGACY ring had wrapped at 2^32");
            } else if (!direct && ringsStartNear2To32(o.device())) {
                finding("H4", what + ": its domain's rings started "
                        + ((1L << 32) - ctx.domains.get(ActorKey.parse(o.device()).domid()).ringStart)
                        + " slots below 2^32, so a LEGACY ring's pointers may have wrapped (a free run does not"
                        + " watch the rings: re-run the seed controlled to tell)");
            } else {
                violation("buffered.order", what + " (one vCPU's writes must reach its server in order)");
            }
        }
        outOfOrder.clear();
    }

    /**
     * Free runs: the rings of emulator {@code device}'s domain started within {@link #WRAP_REACH} slots of
     * 2^32 (the program's ring-wrap setting), close enough for a run's writes to carry them across.
     */
    private boolean ringsStartNear2To32(String device) {
        DomainShadow d = ctx.domains.get(ActorKey.parse(device).domid());
        return d != null && d.ringStart > (1L << 32) - WRAP_REACH;
    }

    /** How far below 2^32 a ring may start for a free run's writes to carry its pointers across. */
    private static final long WRAP_REACH = 1L << 16;

    private record OutOfOrder(String device, int vcpu, int seq, int last) {
    }
}
