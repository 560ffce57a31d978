package org.ioreqsim.sim.stress.monitor;

import java.util.HashMap;
import java.util.HashSet;
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
            String where = "d" + d.domid + " server " + ss.id + " ring rp=" + rp + " wp=" + wp;
            if (used > Xen.IOREQ_BUFFER_SLOT_NUM) {
                violation("ring.overflow", where + ": " + used + " slots in use (at most 511)");
            }
            if (sv.mode() == BufioreqMode.LEGACY && (wp < ss.wp || rp < ss.rp) && ss.emulatorKey != null
                    && legacyWrapped.add(ss.emulatorKey)) {
                finding("H4", where + ": LEGACY pointers wrapped at 2^32 and the slot index jumped (511 does not "
                        + "divide 2^32); writes after the wrap may overwrite unread ones");
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
                    violation("ring.pointer-arithmetic", where + ": " + usedBefore + " slots used before, "
                            + ss.bufferedThisStep + " published, " + used + " now");
                }
                if (ss.bufferedThisStep > 0 && sv.mode() == BufioreqMode.ATOMIC && rp >= Xen.IOREQ_BUFFER_SLOT_NUM) {
                    violation("ring.not-canonical", where + ": ATOMIC mode leaves rp >= 511 after a send");
                }
            } else if (actor.kind() == ActorKey.Kind.EMULATOR && (used > usedBefore || wp != ss.wp)) {
                finding("EMU", where + ": its emulator moved the write pointer or read past it");
            } else if (actor.kind() != ActorKey.Kind.EMULATOR && actor.kind() != ActorKey.Kind.DOMAIN
                    && (rp != ss.rp || wp != ss.wp)) {
                violation("ring.changed-by-" + actor.kind().name().toLowerCase(Locale.ROOT), where);
            }
            ss.rp = rp;
            ss.wp = wp;
        }
    }

    /** A VGA write reached emulator {@code device} (data: vCPU and sequence number): in order per vCPU. */
    void vgaWrite(String device, int data) {
        int vcpu = (data >>> 12) & 0xF;
        int seq = data & 0xFFF;
        String k = device + "/" + vcpu;
        Integer last = lastVgaSeq.get(k);
        if (last != null && seq <= last && legacyWrapped.contains(device)) {
            finding("H4", device + " received vCPU " + vcpu + "'s VGA write #" + seq + " after #" + last
                    + " once its LEGACY ring had wrapped at 2^32");
        } else if (last != null && seq <= last) {
            violation("buffered.order", device + " received vCPU " + vcpu + "'s VGA write #" + seq + " after #" + last
                    + " (one vCPU's writes must reach its server in order)");
        }
        lastVgaSeq.put(k, seq);
    }
}
