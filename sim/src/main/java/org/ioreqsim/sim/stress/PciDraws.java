package org.ioreqsim.sim.stress;

import java.util.List;
import java.util.SplittableRandom;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.vcpu.GuestOp;

/**
 * The PCI configuration accesses of a vCPU lane (spec 6 and 6.1). Plain: a 4-byte CF8 write of an
 * enabled address of function A or B (bus 0, function 0), then one data access. With
 * {@link StressFeature#CF8_WIDE}: any 32-bit CF8 value (enable bit clear about a fifth of the time,
 * bits 30..24 random, any bus, device and function, mostly one an emulator may register), written or
 * read with 1, 2 or 4 bytes (only a 4-byte write latches), sometimes no CF8 access at all so the data
 * access uses the latch as another vCPU or an earlier access left it, and data accesses of 1, 2 or 4
 * bytes at any of 0xCFC..0xCFF.
 */
final class PciDraws {

    private PciDraws() {
    }

    /** The guest operations of one PCI configuration access. */
    static List<GuestOp> access(SplittableRandom rng, boolean wide) {
        if (!wide) {
            int dev = rng.nextBoolean() ? StressDevices.PCI_DEVICE_A : StressDevices.PCI_DEVICE_B;
            GuestOp cf8 = GuestOp.Io.pioWrite(Xen.PCI_CF8, 4, Pci.cf8Address(0, dev, 0, 4 * rng.nextInt(16)));
            int at = rng.nextInt(4);
            int size = at == 0 ? new int[] {4, 2, 1}[rng.nextInt(3)] : at == 2 ? 1 + rng.nextInt(2) : 1;
            return List.of(cf8, data(rng, at, size));
        }
        GuestOp data = data(rng, rng.nextInt(4), new int[] {1, 2, 4}[rng.nextInt(3)]);
        int r = rng.nextInt(10);
        if (r == 9) {
            return List.of(data);
        }
        long value = cf8Value(rng);
        GuestOp cf8 = switch (r) {
            case 6 -> {
                int at = 2 * rng.nextInt(2);
                yield GuestOp.Io.pioWrite(Xen.PCI_CF8 + at, 2, (value >>> (8 * at)) & 0xFFFF);
            }
            case 7 -> {
                int at = rng.nextInt(4);
                yield GuestOp.Io.pioWrite(Xen.PCI_CF8 + at, 1, (value >>> (8 * at)) & 0xFF);
            }
            case 8 -> {
                int size = new int[] {1, 2, 4}[rng.nextInt(3)];
                yield GuestOp.Io.pioRead(Xen.PCI_CF8 + size * rng.nextInt(4 / size), size);
            }
            default -> GuestOp.Io.pioWrite(Xen.PCI_CF8, 4, value);
        };
        return List.of(cf8, data);
    }

    /** A data access of {@code size} bytes at 0xCFC + {@code at} (it may run past 0xCFF). */
    private static GuestOp data(SplittableRandom rng, int at, int size) {
        return rng.nextInt(4) == 0
                ? GuestOp.Io.pioWrite(Xen.PCI_CFC + at, size, rng.nextLong() & (size == 4 ? 0xFFFFFFFFL : (1L << 8 * size) - 1))
                : GuestOp.Io.pioRead(Xen.PCI_CFC + at, size);
    }

    /** A full 32-bit CF8 value: mostly the address of a function the emulators may register. */
    static long cf8Value(SplittableRandom rng) {
        int reg = 4 * rng.nextInt(64);
        long v = switch (rng.nextInt(6)) {
            case 0 -> Pci.cf8Address(0, StressDevices.PCI_DEVICE_A, 0, reg);
            case 1 -> Pci.cf8Address(0, StressDevices.PCI_DEVICE_B, 0, reg);
            case 2 -> Pci.cf8Address(StressDevices.PCI_BUS_C, StressDevices.PCI_DEVICE_A, 0, reg);
            case 3 -> Pci.cf8Address(0, StressDevices.PCI_DEVICE_A, StressDevices.PCI_FUNCTION_D, reg);
            default -> Pci.cf8Address(rng.nextInt(256), rng.nextInt(32), rng.nextInt(8), reg);
        };
        v |= (long) rng.nextInt(0x80) << 24;
        if (rng.nextInt(5) == 0) {
            v &= ~0x80000000L;
        }
        return v;
    }
}
