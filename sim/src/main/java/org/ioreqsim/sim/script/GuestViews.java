package org.ioreqsim.sim.script;

import org.ioreqsim.domain.XenInspections;
import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.vcpu.VcpuSnapshot;

/**
 * {@code show} views of what a guest and its toolstack see beyond the ioreq state: the vCPU's RAX after
 * a port read, the domain's ioreq gfn pool, and its physmap around a gfn.
 */
final class GuestViews {
    private GuestViews() {
    }

    static Out show(ScriptRunner run, Step s) {
        switch (s.verb()) {
            case "show regs": {
                int[] dv = ScriptRunner.vcpu(s.pos(0));
                VcpuSnapshot v = run.vcpuSnapshot(dv[0], dv[1]);
                return Out.ok().hex("rax", v.rax()).hex("eax", v.rax() & 0xFFFFFFFFL).hex("ax", v.rax() & 0xFFFF)
                        .hex("al", v.rax() & 0xFF);
            }
            case "show gfnpool": {
                XenInspector x = inspector(run, ScriptRunner.dom(s.pos(0)));
                return Out.ok().hex("base", x.gfnPoolBase()).hex("mask", x.gfnPoolMask())
                        .put("free", Long.bitCount(x.gfnPoolMask())).hex("ioreq_pfn", x.param(HvmParam.IOREQ_PFN))
                        .hex("bufioreq_pfn", x.param(HvmParam.BUFIOREQ_PFN));
            }
            case "show physmap": {
                XenInspector x = inspector(run, ScriptRunner.dom(s.pos(0)));
                long from = Numbers.parse(s.pos(1));
                long count = s.num("count", 8);
                StringBuilder ram = new StringBuilder();
                StringBuilder holes = new StringBuilder();
                long runStart = from;
                for (long g = from; g <= from + count; g++) {
                    boolean end = g == from + count;
                    if (end || (g > from && x.isGuestRam(g) != x.isGuestRam(g - 1))) {
                        StringBuilder to = x.isGuestRam(runStart) ? ram : holes;
                        to.append(to.length() == 0 ? "" : ",").append(Numbers.hex(runStart));
                        if (g - 1 != runStart) {
                            to.append('-').append(Numbers.hex(g - 1));
                        }
                        runStart = g;
                    }
                }
                return Out.ok().hex("gfn", from).put("count", count).put("ram", "[" + ram + "]")
                        .put("holes", "[" + holes + "]");
            }
            default:
                throw new IllegalStateException(s.verb());
        }
    }

    private static XenInspector inspector(ScriptRunner run, int domid) {
        XenInspector x = XenInspections.on(run.host()).get(domid);
        if (x == null) {
            throw new ScriptStepException("no domain " + domid);
        }
        return x;
    }
}
