package org.ioreqsim.domain;

import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.BufioreqMode;

/**
 * One ioreq server as Xen holds it, for inspection.
 *
 * @param id               slot
 * @param emulatorDomid    the domain that created it
 * @param mode             bufioreq handling
 * @param enabled          enabled
 * @param isDefault        the pre-seed default server
 * @param portRanges       PORT ranges, [start, end] pairs
 * @param memoryRanges     MEMORY ranges
 * @param pciRanges        PCI (SBDF) ranges
 * @param ioreqGfn         gfn of the synchronous page, or -1 (INVALID)
 * @param ioreqMfn         frame of the synchronous page, or -1 (none)
 * @param bufioreqGfn      gfn of the buffered page, or -1
 * @param bufioreqMfn      frame of the buffered page, or -1
 * @param bufioreqPort     the bufioreq event channel (0 if none)
 * @param vcpuPorts        vCPU id -> its ioreq port
 * @param pendingVcpus     vCPUs with a request pending at this server
 * @param buffered         buffered-path counters: submitted, slots, fullFallbacks, droppedUnbufferable, highWater
 */
public record ServerSnapshot(int id, int emulatorDomid, BufioreqMode mode, boolean enabled, boolean isDefault,
                             List<long[]> portRanges, List<long[]> memoryRanges, List<long[]> pciRanges,
                             long ioreqGfn, long ioreqMfn, long bufioreqGfn, long bufioreqMfn, int bufioreqPort,
                             Map<Integer, Integer> vcpuPorts, List<Integer> pendingVcpus, Map<String, Long> buffered) {
}
