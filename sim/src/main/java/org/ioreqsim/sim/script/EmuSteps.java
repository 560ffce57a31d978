package org.ioreqsim.sim.script;

import akka.actor.typed.ActorRef;
import java.util.List;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.sim.exec.Inbox;

/** The steps of a hand-played emulator, and those backed by hypercalls: mapping its pages, finding its bufioreq port. */
final class EmuSteps {
    private EmuSteps() {
    }

    /**
     * Maps the server's pages as QEMU does: by resource (frames 0 and 1, or 1 alone for a server without
     * a buffered ring: frame 0 answers ENOENT) or through the gfns {@code get_info} reports.
     */
    static Out map(ScriptRunner run, HandEmulator h, boolean gfn) {
        if (gfn) {
            Result<HypercallOutput> r = run.call(h.emulatorDomid, Hypercall.DmOpHypercall.of(h.target,
                    new DmOp.GetIoreqServerInfo(h.serverId, 0)));
            if (!r.isOk()) {
                return Out.of(r);
            }
            HypercallOutput.IoreqServerInfo info = (HypercallOutput.IoreqServerInfo) r.value();
            GuestMemory guest = run.host().guestMemory(h.target);
            boolean buffered = info.bufioreqPort() != 0;
            h.attach(guest.frame(info.ioreqGfn()), buffered ? guest.frame(info.bufioreqGfn()) : null);
            Out o = Out.ok().hex("ioreq_gfn", info.ioreqGfn());
            return buffered ? o.hex("bufioreq_gfn", info.bufioreqGfn()) : o;
        }
        Result<HypercallOutput> both = run.call(h.emulatorDomid, Hypercall.AcquireResource.ioreqServer(h.target,
                h.serverId, Xen.RESOURCE_FRAME_BUFIOREQ, 2));
        if (both.isOk()) {
            List<Long> mfns = ((HypercallOutput.ResourceFrames) both.value()).mfns();
            h.attach(run.host().mapFrame(mfns.get(1)), run.host().mapFrame(mfns.get(0)));
            return Out.ok().put("frames", 2);
        }
        Result<HypercallOutput> one = run.call(h.emulatorDomid, Hypercall.AcquireResource.ioreqServer(h.target,
                h.serverId, Xen.RESOURCE_FRAME_IOREQ, 1));
        if (!one.isOk()) {
            return Out.of(one);
        }
        h.attach(run.host().mapFrame(((HypercallOutput.ResourceFrames) one.value()).mfns().get(0)), null);
        return Out.ok().put("frames", 1);
    }

    /** {@code get_info} (no gfns) for the bufioreq port, then a bind to it. */
    static Out bindBufioreq(ScriptRunner run, HandEmulator h) {
        Result<HypercallOutput> r = run.call(h.emulatorDomid, Hypercall.DmOpHypercall.of(h.target,
                new DmOp.GetIoreqServerInfo(h.serverId, Xen.DMOP_NO_GFNS)));
        if (!r.isOk()) {
            return Out.of(r);
        }
        return h.bindBufioreq((int) ((HypercallOutput.IoreqServerInfo) r.value()).bufioreqPort());
    }

    /** A step of a hand-played emulator ({@code emu ...}), made on first use. */
    static Out run(ScriptRunner run, Step s, List<String> events) {
        String[] parts = s.pos(0).split(":");
        int e = Integer.parseInt(parts[0]);
        int t = Integer.parseInt(parts[1]);
        int id = Integer.parseInt(parts[2]);
        HandEmulator h = run.hands().computeIfAbsent(s.pos(0), k -> {
            Inbox<Integer> inbox = new Inbox<>();
            ActorRef<Integer> ref = run.runtime().spawn(inbox.behavior(), "emulator-" + k.replace(':', '-'));
            return new HandEmulator(e, t, id, run.host(), inbox, ref);
        });
        Integer v = s.has("vcpu") ? (int) s.num("vcpu", 0) : null;
        switch (s.verb()) {
            case "emu map":
                return map(run, h, s.flag("gfn"));
            case "emu bind":
                return s.flag("bufioreq") ? bindBufioreq(run, h) : requireVcpu(v, () -> h.bindVcpu(v));
            case "emu take":
                return requireVcpu(v, () -> h.take(v));
            case "emu respond":
                return requireVcpu(v, () -> h.respond(v, s.num("value", 0), !s.flag("nosend")));
            case "emu state":
                return requireVcpu(v, () -> h.setState(v, org.ioreqsim.ioreq.IoreqState.parse(s.arg("state"))));
            case "emu eport":
                return requireVcpu(v, () -> h.setEport(v, s.num("port", 0)));
            case "emu notify":
                return h.notify(s.flag("bufioreq") ? null : v);
            case "emu close":
                return h.close(s.flag("bufioreq") ? null : v);
            case "emu crash":
                return h.crash();
            case "emu drain":
                return h.drain(events);
            case "emu ring":
                return h.setRing(s.num("rp", 0), s.num("wp", 0));
            case "emu events":
                return h.eventHandling(s.has("consume") ? ScriptRunner.bool(s.arg("consume")) : null,
                        s.has("unmask") ? ScriptRunner.bool(s.arg("unmask")) : null);
            case "emu data":
                return requireVcpu(v, () -> h.setData(v, s.num("value", 0)));
            default:
                throw new IllegalStateException(s.verb());
        }
    }

    private static Out requireVcpu(Integer v, java.util.function.Supplier<Out> op) {
        return v == null ? Out.of("refused").put("why", "vcpu=N_missing") : op.get();
    }
}
