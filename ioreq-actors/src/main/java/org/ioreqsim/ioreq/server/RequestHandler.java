package org.ioreqsim.ioreq.server;

import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.IoDevice;
import org.ioreqsim.ioreq.device.PciFunction;
import org.ioreqsim.ioreq.page.GuestMemory;

/**
 * How an emulator carries out one request against its devices (QEMU's {@code handle_ioreq}):
 * port and MMIO accesses rep by rep, through guest memory for pointer requests; PCI config cycles
 * to the registered function; TIMEOFFSET recorded; INVALIDATE flushes the map cache. Accesses no
 * device claims (a range unmapped after Xen chose this server, hazard H7) read all ones and drop
 * writes, and are counted.
 */
public final class RequestHandler {
    private final DeviceMap devices;
    private final GuestMemory guest;
    private final EmulatorStats.Counters stats;
    private long timeOffset;

    public RequestHandler(DeviceMap devices, GuestMemory guest, EmulatorStats.Counters stats) {
        this.devices = devices;
        this.guest = guest;
        this.stats = stats;
    }

    public long timeOffset() {
        return timeOffset;
    }

    /** Carries out {@code req}; returns the value a read answers in the slot's {@code data}. */
    public long handle(Ioreq req) {
        switch (req.type()) {
            case PIO -> {
                stats.pio++;
                return reps(req, false);
            }
            case COPY -> {
                stats.mmio++;
                return reps(req, true);
            }
            case PCI_CONFIG -> {
                stats.pciConfig++;
                return pciConfig(req);
            }
            case TIMEOFFSET -> {
                stats.timeoffset++;
                timeOffset += req.data();
                return req.data();
            }
            case INVALIDATE -> {
                stats.invalidate++;
                return req.data();
            }
            default -> {
                return req.data();
            }
        }
    }

    /** One buffered write (QEMU forces dir WRITE, count 1). */
    public void bufferedWrite(int type, long addr, int size, long data) {
        stats.bufferedDelivered++;
        if (type == IoreqType.TIMEOFFSET.code()) {
            stats.timeoffset++;
            timeOffset += data;
            return;
        }
        DeviceMap.Mapping m = type == IoreqType.PIO.code() ? devices.port(addr) : devices.mmio(addr);
        if (m == null) {
            stats.unclaimed++;
            return;
        }
        m.device().write(addr - m.start(), size, data);
    }

    private long reps(Ioreq req, boolean mmio) {
        int size = (int) req.size();
        long step = req.df() ? -size : size;
        long result = req.data();
        for (long i = 0; i < Math.max(req.count(), 1); i++) {
            long addr = mmio ? req.addr() + step * i : req.addr();
            DeviceMap.Mapping m = mmio ? devices.mmio(addr) : devices.port(addr);
            if (m == null) {
                stats.unclaimed++;
            }
            if (req.isRead()) {
                long v = m == null ? IoDevice.allOnes(size) : m.device().read(addr - m.start(), size);
                if (req.dataIsPtr()) {
                    guest.write(req.data() + step * i, size, v);
                } else {
                    result = v;
                }
            } else {
                long v = req.dataIsPtr() ? guest.read(req.data() + step * i, size) : req.data();
                if (m != null) {
                    m.device().write(addr - m.start(), size, v);
                }
            }
        }
        return result;
    }

    private long pciConfig(Ioreq req) {
        long sbdf = req.addr() >>> 32;
        long reg = req.addr() & 0xFFFFFFFFL;
        int size = (int) req.size();
        PciFunction f = devices.pci(sbdf);
        if (f == null) {
            stats.unclaimed++;
            return req.isRead() ? IoDevice.allOnes(size) : req.data();
        }
        if (req.isRead()) {
            return f.readConfig(reg, size);
        }
        f.writeConfig(reg, size, req.data());
        return req.data();
    }
}
