package org.ioreqsim.domain;

import java.util.Collection;
import java.util.Collections;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.RangeSet;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.ServerPage;
import org.ioreqsim.vcpu.IoreqVcpuEntry;

/**
 * Xen's record of one ioreq server ({@code struct hvm_ioreq_server}), held in its target domain's
 * server table. Mutated only by the target's domain actor.
 */
final class HvmIoreqServer {
    final int id;
    final int emulatorDomid;
    final BufioreqMode bufioreqMode;
    /** The pre-seed catch-all server (legacyDefaultServer): no range sets, pages never leave the physmap. */
    final boolean isDefault;
    final ServerPage ioreq = new ServerPage();
    final ServerPage bufioreq = new ServerPage();
    private final RangeSet[] ranges;
    private final IdTable<IoreqVcpuEntry> vcpus = new IdTable<>();
    boolean enabled;
    int bufioreqEvtchn;
    final BufferedStats buffered = new BufferedStats();

    /** Counters of this server's buffered path, kept by Xen's side. */
    static final class BufferedStats {
        long submitted;
        long slots;
        long fullFallbacks;
        long droppedUnbufferable;
        long highWater;
        long timeoffsetLost;
    }

    HvmIoreqServer(int id, int emulatorDomid, BufioreqMode bufioreqMode, boolean isDefault) {
        this.id = id;
        this.emulatorDomid = emulatorDomid;
        this.bufioreqMode = bufioreqMode;
        this.isDefault = isDefault;
        this.ranges = isDefault ? null : new RangeSet[] {new RangeSet(Xen.MAX_NR_IO_RANGES),
            new RangeSet(Xen.MAX_NR_IO_RANGES), new RangeSet(Xen.MAX_NR_IO_RANGES)};
    }

    /** {@code HANDLE_BUFIOREQ(s)}. */
    boolean handlesBuffered() {
        return bufioreqMode.handlesBuffered();
    }

    /** The range set of a type, or {@code null} for the default server. */
    RangeSet ranges(RangeType type) {
        return ranges == null ? null : ranges[type.code()];
    }

    IoreqVcpuEntry entry(int vcpuId) {
        return vcpus.get(vcpuId);
    }

    void addEntry(IoreqVcpuEntry e) {
        vcpus.put(e.vcpuId(), e);
    }

    IoreqVcpuEntry removeEntry(int vcpuId) {
        return vcpus.remove(vcpuId);
    }

    /** The vCPU ids this server holds entries for, ascending. */
    int[] entryVcpuIds() {
        return vcpus.idArray();
    }

    /** This server's vCPU entries, by vCPU id. */
    Collection<IoreqVcpuEntry> entries() {
        return Collections.unmodifiableCollection(vcpus.values());
    }
}
