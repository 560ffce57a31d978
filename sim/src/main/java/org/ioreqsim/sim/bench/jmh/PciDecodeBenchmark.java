package org.ioreqsim.sim.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.ioreqsim.ioreq.Pci;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CF8/CFC decode of a PCI config data cycle as server selection does it ({@link Pci}: CF8 enabled,
 * {@code hvm_pci_decode_addr}, the BDF, the PCI_CONFIG key), over a table of CF8 latches and data
 * ports.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PciDecodeBenchmark {
    private static final int N = 256;

    private long[] cf8;
    private long[] ports;
    private int next;

    @Setup
    public void setUp() {
        cf8 = new long[N];
        ports = new long[N];
        for (int i = 0; i < N; i++) {
            cf8[i] = Pci.cf8Address(i & 0xFF, (i * 7) & 0x1F, i & 7, (i * 4) & 0xFC) & (i % 8 == 0 ? 0x7FFFFFFFL : ~0L);
            ports[i] = 0xCFC + (i & 3);
        }
    }

    /** The PCI_CONFIG ioreq address of one data cycle, or -1 when CF8 is not enabled. */
    @Benchmark
    public long decode() {
        int i = next++ & (N - 1);
        long latch = cf8[i];
        if (!Pci.cf8Enabled(latch)) {
            return -1;
        }
        long reg = Pci.decodeRegister(latch, ports[i]);
        return Pci.configKey(Pci.cf8Bdf(latch), reg);
    }
}
