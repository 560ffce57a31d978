package org.ioreqsim.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.RangeSet;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.vcpu.IoreqVcpuEntry;
import org.ioreqsim.vcpu.VcpuIo;

/**
 * A read-only view of one ioreq server as Xen holds it ({@code struct hvm_ioreq_server}), for
 * {@link XenInspector}. The pages are the shared pages themselves: read them, never write them.
 */
public final class ServerView {
    private final HvmIoreqServer s;
    private final IntFunction<VcpuIo> vcpus;

    ServerView(HvmIoreqServer s, IntFunction<VcpuIo> vcpus) {
        this.s = s;
        this.vcpus = vcpus;
    }

    boolean wraps(HvmIoreqServer server) {
        return s == server;
    }

    public int id() {
        return s.id;
    }

    /** The domain that created it. */
    public int emulatorDomid() {
        return s.emulatorDomid;
    }

    public boolean enabled() {
        return s.enabled;
    }

    public BufioreqMode mode() {
        return s.bufioreqMode;
    }

    /** The pre-seed default server. */
    public boolean isDefault() {
        return s.isDefault;
    }

    /** The synchronous page, or {@code null} if it does not exist. */
    public IoreqPage ioreqPage() {
        return s.ioreq.ioreqPage();
    }

    /** The buffered page, or {@code null}. */
    public BufferedIoreqPage bufferedPage() {
        return s.bufioreq.bufferedPage();
    }

    /** The synchronous page's gfn, or {@code Xen.INVALID_GFN}. */
    public long ioreqGfn() {
        return s.ioreq.gfn();
    }

    /** The buffered page's gfn, or {@code Xen.INVALID_GFN}. */
    public long bufioreqGfn() {
        return s.bufioreq.gfn();
    }

    /** Machine frame of the synchronous page, or -1. */
    public long ioreqMfn() {
        return s.ioreq.page() == null ? -1 : s.ioreq.page().mfn();
    }

    /** Machine frame of the buffered page, or -1. */
    public long bufioreqMfn() {
        return s.bufioreq.page() == null ? -1 : s.bufioreq.page().mfn();
    }

    /** {@code bufioreq_evtchn} (0 if none was allocated). */
    public int bufioreqPort() {
        return s.bufioreqEvtchn;
    }

    /** Whether one stored range of {@code type} covers {@code [start, end]} (false for the default server). */
    public boolean containsRange(RangeType type, long start, long end) {
        RangeSet r = s.ranges(type);
        return r != null && r.containsRange(start, end);
    }

    /** The stored ranges of {@code type}, as {@code [start, end]} pairs (a copy). */
    public List<long[]> ranges(RangeType type) {
        RangeSet r = s.ranges(type);
        return r == null ? List.of() : r.ranges();
    }

    /** The vCPUs this server holds an entry for, by id. */
    public List<Integer> entryVcpus() {
        List<Integer> out = new ArrayList<>();
        for (int v : s.entryVcpuIds()) {
            out.add(v);
        }
        return out;
    }

    /** The same ids, ascending, as an array (for a monitor that reads them after every step). */
    public int[] entryVcpuIds() {
        return s.entryVcpuIds();
    }

    /** Whether this server holds an entry for the vCPU. */
    public boolean hasEntry(int vcpuId) {
        return s.entry(vcpuId) != null;
    }

    /** The ioreq port of the vCPU's entry, or -1 if the server has no entry for it. */
    public int entryPort(int vcpuId) {
        IoreqVcpuEntry e = s.entry(vcpuId);
        return e == null ? -1 : e.ioreqPort();
    }

    /** Whether the vCPU's entry on this server is pending. */
    public boolean entryPending(int vcpuId) {
        IoreqVcpuEntry e = s.entry(vcpuId);
        return e != null && e.isPending();
    }

    /** Whether the live vCPU's own reference to its entry on this server is this server's entry. */
    public boolean entryLinked(int vcpuId) {
        IoreqVcpuEntry e = s.entry(vcpuId);
        VcpuIo io = vcpus.apply(vcpuId);
        return e != null && io != null && io.entry(s.id) == e;
    }
}
