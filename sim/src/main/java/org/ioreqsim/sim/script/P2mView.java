package org.ioreqsim.sim.script;

import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.domain.XenInspections;

/**
 * {@code show p2m D GFN}: the gfn's memory type as {@code HVMOP_get_mem_type} reports it, the number
 * of {@code p2m_ioreq_server} entries ({@code p2m->ioreq.entry_count}) and the server holding the
 * {@code p2m_ioreq_server} claim ({@code none} if no server does).
 */
final class P2mView {
    private P2mView() {
    }

    static Out show(ScriptRunner run, Step s) {
        XenInspector x = XenInspections.on(run.host()).get(ScriptRunner.dom(s.pos(0)));
        if (x == null) {
            return Out.of("error").put("why", "no_such_domain");
        }
        long gfn = Numbers.parse(s.pos(1));
        int owner = x.memTypeOwner();
        return Out.ok().put("type", x.memType(gfn)).put("ioreq_entries", x.ioreqServerEntries())
                .put("claim", owner < 0 ? "none" : String.valueOf(owner));
    }
}
