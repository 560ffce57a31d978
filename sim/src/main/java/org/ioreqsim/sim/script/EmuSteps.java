package org.ioreqsim.sim.script;

import java.util.List;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.page.GuestMemory;

/** The hypercall-backed steps of a hand-played emulator: mapping its pages and finding its bufioreq port. */
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
}
