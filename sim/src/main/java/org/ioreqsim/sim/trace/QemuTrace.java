package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ioreqsim.ioreq.IoDirection;

/**
 * A parsed QEMU trace: every vCPU access in file order, stored column-wise so that traces of millions
 * of lines fit in memory, and the accounting of every other line. {@code lines = events + otherLines}
 * and {@code events = accesses + deviceOriginated}.
 */
public final class QemuTrace {
    private final String file;
    private final long lines;
    private final long deviceOriginated;
    private final Map<String, Long> otherLines;
    private final Map<String, Long> deviceOriginatedByRegion;
    private final List<String> regions;
    private final int size;
    private final long[] lineNumbers;
    private final long[] addrs;
    private final long[] values;
    private final int[] cpus;
    private final int[] regionIds;
    /** Bits 0..3: size; bit 4: read. */
    private final byte[] flags;

    private QemuTrace(Builder b) {
        this.file = b.file;
        this.lines = b.lines;
        this.deviceOriginated = b.deviceOriginated;
        this.otherLines = Map.copyOf(b.otherLines);
        this.deviceOriginatedByRegion = Map.copyOf(b.deviceOriginatedByRegion);
        this.regions = List.copyOf(b.regions);
        this.size = b.size;
        this.lineNumbers = Arrays.copyOf(b.lineNumbers, size);
        this.addrs = Arrays.copyOf(b.addrs, size);
        this.values = Arrays.copyOf(b.values, size);
        this.cpus = Arrays.copyOf(b.cpus, size);
        this.regionIds = Arrays.copyOf(b.regionIds, size);
        this.flags = Arrays.copyOf(b.flags, size);
    }

    public String file() {
        return file;
    }

    /** Lines in the file. */
    public long lines() {
        return lines;
    }

    /** {@code memory_region_ops_read/write} lines. */
    public long events() {
        return size + deviceOriginated;
    }

    /** Accesses made by vCPUs: the ones replayed. */
    public int accesses() {
        return size;
    }

    /** Accesses with cpu -1 (DMA, MSI writes by devices). */
    public long deviceOriginated() {
        return deviceOriginated;
    }

    public Map<String, Long> deviceOriginatedByRegion() {
        return new TreeMap<>(deviceOriginatedByRegion);
    }

    /** Lines that are not accesses, by kind: another trace event's name, {@code text} or {@code blank}. */
    public Map<String, Long> otherLinesByKind() {
        return new TreeMap<>(otherLines);
    }

    public long otherLines() {
        return otherLines.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The i-th vCPU access. */
    public TraceAccess access(int i) {
        return new TraceAccess(lineNumbers[i], cpus[i], (flags[i] & 0x10) != 0 ? IoDirection.READ : IoDirection.WRITE,
                addrs[i], values[i], flags[i] & 0x0F, regions.get(regionIds[i]));
    }

    /** The i-th access's region as an index into {@link #regions()}. */
    public int regionId(int i) {
        return regionIds[i];
    }

    /** Region names, in order of first appearance. */
    public List<String> regions() {
        return regions;
    }

    /** The distinct cpu indices of vCPU accesses, ascending. */
    public List<Integer> cpus() {
        TreeSet<Integer> set = new TreeSet<>();
        for (int i = 0; i < size; i++) {
            set.add(cpus[i]);
        }
        return new ArrayList<>(set);
    }

    static Builder builder(String file) {
        return new Builder(file);
    }

    /** Collects lines as the reader goes. */
    static final class Builder {
        private final String file;
        private final Map<String, Long> otherLines = new HashMap<>();
        private final Map<String, Long> deviceOriginatedByRegion = new HashMap<>();
        private final Map<String, Integer> regionIndex = new HashMap<>();
        private final List<String> regions = new ArrayList<>();
        private long lines;
        private long deviceOriginated;
        private int size;
        private long[] lineNumbers = new long[1024];
        private long[] addrs = new long[1024];
        private long[] values = new long[1024];
        private int[] cpus = new int[1024];
        private int[] regionIds = new int[1024];
        private byte[] flags = new byte[1024];

        private Builder(String file) {
            this.file = file;
        }

        void line() {
            lines++;
        }

        void other(String kind) {
            otherLines.merge(kind, 1L, Long::sum);
        }

        void access(TraceAccess a) {
            if (a.isDeviceOriginated()) {
                deviceOriginated++;
                deviceOriginatedByRegion.merge(a.region(), 1L, Long::sum);
                return;
            }
            if (size == addrs.length) {
                grow();
            }
            lineNumbers[size] = a.line();
            addrs[size] = a.addr();
            values[size] = a.value();
            cpus[size] = a.cpu();
            regionIds[size] = regionIndex.computeIfAbsent(a.region(), r -> {
                regions.add(r);
                return regions.size() - 1;
            });
            flags[size] = (byte) (a.size() | (a.isRead() ? 0x10 : 0));
            size++;
        }

        private void grow() {
            int n = size * 2;
            lineNumbers = Arrays.copyOf(lineNumbers, n);
            addrs = Arrays.copyOf(addrs, n);
            values = Arrays.copyOf(values, n);
            cpus = Arrays.copyOf(cpus, n);
            regionIds = Arrays.copyOf(regionIds, n);
            flags = Arrays.copyOf(flags, n);
        }

        QemuTrace build() {
            return new QemuTrace(this);
        }
    }
}
