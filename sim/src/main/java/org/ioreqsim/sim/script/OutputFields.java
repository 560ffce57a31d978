package org.ioreqsim.sim.script;

import org.ioreqsim.ioreq.hypercall.HypercallOutput;

/** The out-fields a hypercall copies back, as transcript fields. */
final class OutputFields {
    private OutputFields() {
    }

    static void describe(Out o, HypercallOutput out) {
        if (out instanceof HypercallOutput.IoreqServerId id) {
            o.put("id", id.id());
        } else if (out instanceof HypercallOutput.IoreqServerInfo info) {
            o.put("bufioreq_port", info.bufioreqPort()).hex("ioreq_gfn", info.ioreqGfn())
                    .hex("bufioreq_gfn", info.bufioreqGfn());
        } else if (out instanceof HypercallOutput.MemTypeOpaque m) {
            o.hex("opaque", m.opaque());
        } else if (out instanceof HypercallOutput.ResourceFrames f) {
            o.put("nr_frames", f.nrFrames());
            if (!f.mfns().isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (long m : f.mfns()) {
                    sb.append(sb.length() == 0 ? "" : ",").append(Numbers.hex(m));
                }
                o.put("mfns", sb);
            }
        } else if (out instanceof HypercallOutput.ParamValue v) {
            o.hex("value", v.value());
        }
    }
}
