package org.ioreqsim.sim.script;

import java.util.Locale;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.hypercall.DmOp;

/** Builds the dm_op payload of a {@code dmop} step: every field, pads included, defaulting to 0. */
final class DmOpSteps {
    private DmOpSteps() {
    }

    static DmOp op(Step s) {
        String op = s.verb().substring("dmop ".length());
        int id = (int) s.num("id", 0);
        switch (op) {
            case "create_ioreq_server":
                return new DmOp.CreateIoreqServer((int) s.num("handle_bufioreq", 0), (int) s.num("pad0", 0),
                        (int) s.num("pad1", 0), (int) s.num("pad2", 0));
            case "get_ioreq_server_info":
                return new DmOp.GetIoreqServerInfo(id, (int) s.num("flags", 0), s.num("bufioreq_port", 0),
                        s.num("ioreq_gfn", 0), s.num("bufioreq_gfn", 0));
            case "map_io_range_to_ioreq_server":
                return new DmOp.MapIoRangeToIoreqServer(id, (int) s.num("pad", 0), rangeType(s), s.num("start", 0),
                        s.num("end", 0));
            case "unmap_io_range_from_ioreq_server":
                return new DmOp.UnmapIoRangeFromIoreqServer(id, (int) s.num("pad", 0), rangeType(s),
                        s.num("start", 0), s.num("end", 0));
            case "set_ioreq_server_state":
                return new DmOp.SetIoreqServerState(id, (int) s.num("enabled", 0), (int) s.num("pad", 0));
            case "destroy_ioreq_server":
                return new DmOp.DestroyIoreqServer(id, (int) s.num("pad", 0));
            case "map_mem_type_to_ioreq_server":
                return new DmOp.MapMemTypeToIoreqServer(id, (int) s.num("type", 0), s.num("flags", 0),
                        s.num("opaque", 0));
            case "set_mem_type":
                return new DmOp.SetMemType(s.num("nr", 0), (int) s.num("mem_type", 0), (int) s.num("pad", 0),
                        s.num("first_pfn", 0));
            default:
                return new DmOp.Other(s.num("op", 0));
        }
    }

    private static long rangeType(Step s) {
        String t = s.arg("type");
        if (t == null) {
            return 0;
        }
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "port" -> RangeType.PORT.code();
            case "memory" -> RangeType.MEMORY.code();
            case "pci" -> RangeType.PCI.code();
            default -> Numbers.parse(t);
        };
    }
}
