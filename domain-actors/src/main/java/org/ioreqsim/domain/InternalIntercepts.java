package org.ioreqsim.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.device.IoDevice;
import org.ioreqsim.ioreq.device.RamMmioRegion;
import org.ioreqsim.ioreq.device.RegisterFilePortDevice;
import org.ioreqsim.ioreq.page.GuestMemory;

/**
 * A domain's internal I/O handlers ({@code d->arch.hvm.io_handler[]}, intercept.c): Xen's own
 * emulators, tried in registration order before any ioreq server; the first whose {@code accept}
 * takes the access handles it ({@code hvm_process_io_intercept}).
 *
 * <p>Lookup is a binary search over elementary address segments, each listing the handlers that
 * cover it in registration order, so overlapping handlers still resolve exactly as Xen's scan does.
 */
final class InternalIntercepts {

    /** One handler: its accept rule and its read/write operations. */
    abstract static class Handler {
        final String name;
        final boolean mmio;
        final long start;
        final long end;
        final Route route;

        Handler(String name, boolean mmio, long start, long end) {
            this(name, mmio, start, end, Route.xen(name));
        }

        Handler(String name, boolean mmio, long start, long end, Route route) {
            this.name = name;
            this.mmio = mmio;
            this.start = start;
            this.end = end;
            this.route = route;
        }

        /** {@code hvm_portio_accept} / {@code hvm_mmio_accept}. */
        boolean accept(Ioreq p, Emulation.Context ctx) {
            if (!mmio) {
                return p.addr() >= start && p.addr() + p.size() <= end + 1;
            }
            long first = p.firstByte();
            if (!within(first)) {
                return false;
            }
            long last = p.lastByte();
            if (last != first && !within(last)) {
                ctx.crash("MMIO access runs past internal handler " + name);
            }
            return true;
        }

        boolean within(long addr) {
            return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end) <= 0;
        }

        /** A read of one item: OKAY with the value, or UNHANDLEABLE. */
        abstract IoStatus read(long addr, int size, long[] value, Emulation.Context ctx);

        abstract IoStatus write(long addr, int size, long value, Emulation.Context ctx);
    }

    /** {@code hvm_access_cf8}: latches 4-byte writes, always declines. */
    static final class Cf8Latch extends Handler {
        Cf8Latch() {
            super("cf8", false, Xen.PCI_CF8, Xen.PCI_CF8 + 3);
        }

        @Override
        IoStatus read(long addr, int size, long[] value, Emulation.Context ctx) {
            return IoStatus.UNHANDLEABLE;
        }

        @Override
        IoStatus write(long addr, int size, long value, Emulation.Context ctx) {
            if (size == 4) {
                ctx.latchCf8(value & 0xFFFFFFFFL);
            }
            return IoStatus.UNHANDLEABLE;
        }
    }

    /**
     * stdvga's port handlers ({@code stdvga_init}: 0x3C4 and 0x3CE, 2 ports each). They snoop the
     * sequencer and graphics-controller index/data writes for stdvga's cache and always decline, so the
     * access goes on to the ioreq server; but being accepted first, they cut a rep access to one rep per
     * pass ({@code hvm_process_io_intercept}: no rep done and UNHANDLEABLE -> {@code count = 1}).
     */
    static final class StdvgaPorts extends Handler {
        StdvgaPorts(long start) {
            super("stdvga-ports", false, start, start + 1);
        }

        @Override
        IoStatus read(long addr, int size, long[] value, Emulation.Context ctx) {
            return IoStatus.UNHANDLEABLE;
        }

        @Override
        IoStatus write(long addr, int size, long value, Emulation.Context ctx) {
            return IoStatus.UNHANDLEABLE;
        }
    }

    /**
     * Xen's stdvga handler with its cache off: single writes into the VGA window are sent buffered to
     * the server that claims them; multi-rep writes and all reads are declined (sent synchronously).
     */
    static final class Stdvga extends Handler {
        static final Route ROUTE = Route.xen("stdvga");

        Stdvga() {
            super("stdvga", true, Xen.VGA_WINDOW_START, Xen.VGA_WINDOW_END, ROUTE);
        }

        @Override
        boolean accept(Ioreq p, Emulation.Context ctx) {
            if (Long.compareUnsigned(p.firstByte(), start) < 0 || Long.compareUnsigned(p.lastByte(), end) > 0) {
                return false;
            }
            return p.isWrite() && p.count() <= 1;
        }

        @Override
        IoStatus read(long addr, int size, long[] value, Emulation.Context ctx) {
            return IoStatus.UNHANDLEABLE;
        }

        @Override
        IoStatus write(long addr, int size, long value, Emulation.Context ctx) {
            return ctx.sendBufferedVgaWrite(addr, size, value);
        }
    }

    /**
     * A configured emulator backed by a device model: register file for ports, RAM for MMIO. A
     * write-only one declines reads, as {@code hvm_print_line} does.
     */
    static final class Emulated extends Handler {
        private final IoDevice device;
        private final boolean writeOnly;

        Emulated(InterceptSpec spec, IoDevice device) {
            super(spec.name(), spec.mmio(), spec.start(), spec.end());
            this.device = device;
            this.writeOnly = spec.writeOnly();
        }

        @Override
        IoStatus read(long addr, int size, long[] value, Emulation.Context ctx) {
            if (writeOnly) {
                return IoStatus.UNHANDLEABLE;
            }
            value[0] = device.read(addr - start, size);
            return IoStatus.OKAY;
        }

        @Override
        IoStatus write(long addr, int size, long value, Emulation.Context ctx) {
            device.write(addr - start, size, value);
            return IoStatus.OKAY;
        }
    }

    /** What processing an access through a handler gave. */
    record Processed(IoStatus status, long count, long data, Route route) {
    }

    private final Segments ports;
    private final Segments mmio;

    InternalIntercepts(List<InterceptSpec> specs, boolean stdvga) {
        List<Handler> all = new ArrayList<>();
        all.add(new Cf8Latch());
        if (stdvga) {
            all.add(new Stdvga());
            all.add(new StdvgaPorts(Xen.VGA_SEQUENCER_PORT));
            all.add(new StdvgaPorts(Xen.VGA_GRAPHICS_PORT));
        }
        for (InterceptSpec s : specs) {
            IoDevice dev = s.mmio() ? new RamMmioRegion(s.name(), s.length())
                    : new RegisterFilePortDevice(s.name(), (int) Math.min(s.length(), 1 << 16));
            all.add(new Emulated(s, dev));
        }
        this.ports = new Segments(all.stream().filter(h -> !h.mmio).toList());
        this.mmio = new Segments(all.stream().filter(h -> h.mmio).toList());
    }

    /** The handler names, in registration order. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        ports.handlers.forEach(h -> out.add(h.name));
        mmio.handlers.forEach(h -> out.add(h.name));
        return out;
    }

    /**
     * {@code hvm_io_intercept}: {@code null} when no handler accepts the access, else the result of
     * {@code hvm_process_io_intercept} (count reduced to the reps done, or to 1 when the handler
     * declined the first rep).
     */
    Processed intercept(Ioreq p, GuestMemory memory, Emulation.Context ctx) {
        Handler h = (p.type() == IoreqType.COPY ? mmio : ports).find(p, ctx);
        return h == null ? null : process(h, p, memory, ctx);
    }

    /** {@code hvm_process_io_intercept}, also used for the null handler. */
    static Processed process(Handler h, Ioreq p, GuestMemory memory, Emulation.Context ctx) {
        long step = p.df() ? -p.size() : p.size();
        int size = (int) p.size();
        long[] value = new long[1];
        long data = p.data();
        IoStatus rc = IoStatus.OKAY;
        long i;
        for (i = 0; i < p.count(); i++) {
            long addr = p.type() == IoreqType.COPY ? p.addr() + step * i : p.addr();
            if (p.isRead()) {
                value[0] = 0;
                rc = h.read(addr, size, value, ctx);
                if (rc != IoStatus.OKAY) {
                    break;
                }
                if (p.dataIsPtr()) {
                    memory.write(p.data() + step * i, size, value[0]);
                } else {
                    data = value[0];
                }
            } else {
                long v = p.dataIsPtr() ? memory.read(p.data() + step * i, size) : p.data();
                rc = h.write(addr, size, v, ctx);
                if (rc != IoStatus.OKAY) {
                    break;
                }
            }
        }
        if (i > 0) {
            return new Processed(IoStatus.OKAY, i, data, h.route);
        }
        return new Processed(rc, rc == IoStatus.UNHANDLEABLE ? 1 : p.count(), data, h.route);
    }

    /** Handlers of one type over sorted elementary segments. */
    private static final class Segments {
        final List<Handler> handlers;
        final long[] starts;
        final Handler[][] covering;

        Segments(List<Handler> handlers) {
            this.handlers = handlers;
            TreeSet<Long> bounds = new TreeSet<>(Long::compareUnsigned);
            for (Handler h : handlers) {
                bounds.add(h.start);
                if (h.end != -1L) {
                    bounds.add(h.end + 1);
                }
            }
            starts = bounds.stream().mapToLong(Long::longValue).toArray();
            covering = new Handler[starts.length][];
            for (int i = 0; i < starts.length; i++) {
                long s = starts[i];
                covering[i] = handlers.stream().filter(h -> Long.compareUnsigned(h.start, s) <= 0
                        && Long.compareUnsigned(s, h.end) <= 0).toArray(Handler[]::new);
            }
        }

        Handler find(Ioreq p, Emulation.Context ctx) {
            long key = p.type() == IoreqType.COPY ? p.firstByte() : p.addr();
            int lo = 0;
            int hi = starts.length - 1;
            int seg = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(starts[mid], key) <= 0) {
                    seg = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (seg < 0) {
                return null;
            }
            for (Handler h : covering[seg]) {
                if (h.accept(p, ctx)) {
                    return h;
                }
            }
            return null;
        }
    }
}
