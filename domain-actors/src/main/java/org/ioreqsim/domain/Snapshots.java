package org.ioreqsim.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.ioreq.RangeSet;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.Page;
import org.ioreqsim.vcpu.IoreqVcpuEntry;

/** Builds the immutable views of Xen state that inspection returns. */
final class Snapshots {
    private Snapshots() {
    }

    static ServerSnapshot server(HvmIoreqServer s) {
        HvmIoreqServer.BufferedStats b = s.buffered;
        Map<Integer, Integer> ports = new TreeMap<>();
        List<Integer> pending = new ArrayList<>();
        for (IoreqVcpuEntry e : s.entries()) {
            ports.put(e.vcpuId(), e.ioreqPort());
            if (e.isPending()) {
                pending.add(e.vcpuId());
            }
        }
        Map<String, Long> buffered = new LinkedHashMap<>();
        buffered.put("submitted", b.submitted);
        buffered.put("slots", b.slots);
        buffered.put("fullFallbacks", b.fullFallbacks);
        buffered.put("droppedUnbufferable", b.droppedUnbufferable);
        buffered.put("highWater", b.highWater);
        buffered.put("timeoffsetLost", b.timeoffsetLost);
        return new ServerSnapshot(s.id, s.emulatorDomid, s.bufioreqMode, s.enabled, s.isDefault,
                ranges(s.ranges(RangeType.PORT)), ranges(s.ranges(RangeType.MEMORY)), ranges(s.ranges(RangeType.PCI)),
                gfn(s.ioreq.gfn()), mfn(s.ioreq.page()), gfn(s.bufioreq.gfn()), mfn(s.bufioreq.page()),
                s.bufioreqEvtchn, ports, pending, buffered);
    }

    private static List<long[]> ranges(RangeSet r) {
        return r == null ? List.of() : r.ranges();
    }

    private static long gfn(long gfn) {
        return gfn == Xen.INVALID_GFN ? -1 : gfn;
    }

    private static long mfn(Page p) {
        return p == null ? -1 : p.mfn();
    }
}
