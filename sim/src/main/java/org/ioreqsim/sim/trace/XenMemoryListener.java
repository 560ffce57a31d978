package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.RangeType;

/**
 * QEMU's PCI decode as its Xen memory listener reports it (hw/xen/xen-hvm-common.c {@code
 * xen_region_add/del}, {@code xen_io_add/del}): the config registers of each PCI function that decide
 * where its windows sit, and, when a config write maps, moves or unmaps a window, the map and unmap
 * dm_ops QEMU would issue before it answers the write. Config writes arrive as PCI_CONFIG requests
 * (CF8 cycles Xen routed by SBDF) or as memory writes into an ECAM window.
 *
 * <p>Runs on the emulator's thread; the replay driver drains the changes after the access completes.
 */
final class XenMemoryListener {
    /** One function's config registers and where each of its windows is mapped (-1: not mapped). */
    private static final class FunctionState {
        final PciFunctionLayout layout;
        final byte[] config = new byte[4096];
        final long[] base;

        FunctionState(PciFunctionLayout layout) {
            this.layout = layout;
            this.base = new long[layout.windows().size()];
            java.util.Arrays.fill(base, -1L);
        }
    }

    private static final long UNMAPPED = -1L;

    private final Map<Long, FunctionState> functions = new HashMap<>();
    private final ConcurrentLinkedQueue<RangeChange> pending = new ConcurrentLinkedQueue<>();

    XenMemoryListener(List<PciFunctionLayout> pci) {
        for (PciFunctionLayout f : pci) {
            functions.put(f.sbdf(), new FunctionState(f));
        }
    }

    /** {@code pci_host_config_write_common} on a registered function, then its windows' updates. */
    void configWrite(long sbdf, int reg, int size, long value) {
        FunctionState f = functions.get(sbdf);
        if (f == null || reg < 0 || reg + size > f.config.length) {
            return;
        }
        for (int i = 0; i < size; i++) {
            f.config[reg + i] = (byte) (value >>> (8 * i));
        }
        List<DecodeWindow> windows = f.layout.windows();
        for (int w = 0; w < windows.size(); w++) {
            DecodeWindow win = windows.get(w);
            if (touches(win, reg, size)) {
                update(f, w, win);
            }
        }
    }

    /** A memory write QEMU received: inside a mapped ECAM window it is a config write. */
    void memoryWrite(long addr, int size, long value) {
        for (FunctionState f : functions.values()) {
            List<DecodeWindow> windows = f.layout.windows();
            for (int w = 0; w < windows.size(); w++) {
                long b = f.base[w];
                DecodeWindow win = windows.get(w);
                if (win.ecam() && b != UNMAPPED && Long.compareUnsigned(addr - b, win.length()) < 0) {
                    long off = addr - b;
                    int bus = (int) (off >>> 20) & 0xFF;
                    int devfn = (int) (off >>> 12) & 0xFF;
                    configWrite(Pci.sbdf(0, bus, devfn >>> 3, devfn & 7), (int) (off & 0xFFF), size, value);
                    return;
                }
            }
        }
    }

    /** The dm_ops to issue since the last call, in order. */
    List<RangeChange> drain() {
        List<RangeChange> out = new ArrayList<>();
        RangeChange c;
        while ((c = pending.poll()) != null) {
            out.add(c);
        }
        return out;
    }

    private static boolean touches(DecodeWindow w, int reg, int size) {
        return overlaps(reg, size, w.register(), w.width()) || overlaps(reg, size, w.enableRegister(), 1);
    }

    private static boolean overlaps(int a, int alen, int b, int blen) {
        return a < b + blen && b < a + alen;
    }

    private void update(FunctionState f, int w, DecodeWindow win) {
        long now = decode(f.config, win);
        long was = f.base[w];
        if (now == was) {
            return;
        }
        if (was != UNMAPPED) {
            sections(win, was, false);
        }
        if (now != UNMAPPED) {
            sections(win, now, true);
        }
        f.base[w] = now;
    }

    /** Where the window is mapped: {@code pci_bar_address} for a BAR, the device's own rule otherwise. */
    static long decode(byte[] config, DecodeWindow w) {
        boolean enabled = (config[w.enableRegister()] & w.enableMask()) != 0;
        if (!enabled) {
            return UNMAPPED;
        }
        long raw = 0;
        for (int i = w.width() - 1; i >= 0; i--) {
            raw = (raw << 8) | (config[w.register() + i] & 0xFF);
        }
        long base = raw & w.mask();
        if (w.requireNonZero() && base == 0) {
            return UNMAPPED;
        }
        long last = base + w.length() - 1;
        if (Long.compareUnsigned(last, base) < 0) {
            return UNMAPPED;
        }
        if (w.kind() == DecodeWindow.Kind.BAR && w.width() == 4 && Long.compareUnsigned(last, 0xFFFFFFFFL) >= 0) {
            return UNMAPPED;
        }
        if (w.kind() == DecodeWindow.Kind.BAR && last == -1L) {
            return UNMAPPED;
        }
        return base;
    }

    /** One change per region of the window; port sections beyond 0xFFFF are outside QEMU's I/O space. */
    private void sections(DecodeWindow win, long base, boolean map) {
        RangeType type = win.io() ? RangeType.PORT : RangeType.MEMORY;
        for (FixedRegion r : win.regions()) {
            long start = base + r.start();
            long end = base + r.end();
            if (win.io()) {
                if (Long.compareUnsigned(start, TraceAccess.MAX_PORT) > 0) {
                    continue;
                }
                end = Long.compareUnsigned(end, TraceAccess.MAX_PORT) > 0 ? TraceAccess.MAX_PORT : end;
            }
            pending.add(new RangeChange(map, type, start, end, r.name()));
        }
    }
}
