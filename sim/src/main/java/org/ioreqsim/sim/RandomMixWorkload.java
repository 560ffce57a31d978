package org.ioreqsim.sim;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.Workload;

/**
 * A closed-loop guest: each vCPU issues accesses drawn from a {@link Mix} with a generator seeded from
 * the run's seed and the vCPU's identity, waits for each to complete, optionally thinks, and stops
 * after a number of accesses or at a deadline. A PCI config access is the pair a guest issues: a CF8
 * write of the address, then a CFC read.
 */
final class RandomMixWorkload implements Workload {
    /** A read of the UART's line status register (operations are immutable, so one serves every vCPU). */
    private static final GuestOp.Io LSR_READ = GuestOp.Io.pioRead(GuestDevices.SERIAL + 5, 1);

    /** What every vCPU of a run shares (one object per run, not per vCPU: there may be millions). */
    record Run(Mix mix, int servers, long thinkNanos, long requests, RunMetrics metrics, CountDownLatch done,
               AtomicLong deadlineNanos) {
        Run(Scenario s, RunMetrics metrics, CountDownLatch done, AtomicLong deadlineNanos) {
            this(s.mix(), s.servers(), s.think().toNanos(), s.requests() > 0 ? s.requests() : Long.MAX_VALUE,
                    metrics, done, deadlineNanos);
        }
    }

    private final SplittableRandom rng;
    private final Run run;
    private final Mix mix;
    private long remaining;
    private int pendingCfcPort = -1;
    private boolean thinkNext;
    private boolean finished;
    private long startedAt;

    RandomMixWorkload(long seed, int domid, int vcpu, Scenario s, RunMetrics metrics, CountDownLatch done,
                      AtomicLong deadlineNanos) {
        this(seed, domid, vcpu, new Run(s, metrics, done, deadlineNanos));
    }

    RandomMixWorkload(long seed, int domid, int vcpu, Run run) {
        this.rng = new SplittableRandom(mixSeed(seed, domid, vcpu));
        this.run = run;
        this.mix = run.mix();
        this.remaining = run.requests();
    }

    /** A per-vCPU seed that depends on identity, never on spawn order. */
    static long mixSeed(long seed, int domid, int vcpu) {
        long h = seed * 0x9E3779B97F4A7C15L + domid;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + vcpu;
        return h ^ (h >>> 29);
    }

    @Override
    public GuestOp next() {
        if (thinkNext) {
            thinkNext = false;
            return new GuestOp.Think(run.thinkNanos());
        }
        boolean inPair = pendingCfcPort >= 0;
        long now = System.nanoTime();
        if (!inPair && (remaining <= 0 || now >= run.deadlineNanos().get())) {
            finish();
            return null;
        }
        GuestOp op = inPair ? cfcRead() : draw();
        remaining--;
        run.metrics().issued();
        startedAt = now;
        return op;
    }

    @Override
    public void completed(Outcome outcome) {
        if (outcome.op() instanceof GuestOp.Think) {
            return;
        }
        run.metrics().completed(outcome, System.nanoTime() - startedAt);
        if (outcome.kind() == Outcome.Kind.ABANDONED || outcome.kind() == Outcome.Kind.DOMAIN_CRASHED) {
            remaining = 0;
            pendingCfcPort = -1;
            finish();
            return;
        }
        thinkNext = run.thinkNanos() > 0 && pendingCfcPort < 0;
    }

    private void finish() {
        if (!finished) {
            finished = true;
            run.done().countDown();
        }
    }

    private GuestOp draw() {
        int pick = rng.nextInt(mix.total());
        if ((pick -= mix.serialWrite()) < 0) {
            return GuestOp.Io.pioWrite(GuestDevices.SERIAL, 1, 'a' + rng.nextInt(26));
        }
        if ((pick -= mix.serialStatus()) < 0) {
            return LSR_READ;
        }
        if ((pick -= mix.pciConfig()) < 0 && remaining >= 2) {
            int reg = rng.nextInt(16) * 4;
            pendingCfcPort = 0xCFC + (reg == 0 ? rng.nextInt(2) * 2 : 0);
            return GuestOp.Io.pioWrite(0xCF8, 4,
                    Pci.cf8Address(GuestDevices.PCI_BUS, GuestDevices.PCI_DEVICE, GuestDevices.PCI_FUNCTION, reg));
        }
        if (pick < 0) {
            return LSR_READ;
        }
        if ((pick -= mix.mmio()) < 0) {
            long off = (long) rng.nextInt((int) (GuestDevices.BAR0_SIZE / 4)) * 4;
            return rng.nextBoolean() ? GuestOp.Io.mmioRead(GuestDevices.BAR0 + off, 4)
                    : GuestOp.Io.mmioWrite(GuestDevices.BAR0 + off, 4, rng.nextInt());
        }
        if ((pick -= mix.vga()) < 0) {
            long off = (long) rng.nextInt((int) (GuestDevices.VGA_SIZE / 2)) * 2;
            return GuestOp.Io.mmioWrite(GuestDevices.VGA + off, 2, rng.nextInt(0x10000));
        }
        if ((pick -= mix.unclaimed()) < 0 || run.servers() < 2) {
            return GuestOp.Io.pioRead(GuestDevices.UNCLAIMED_PORT + rng.nextInt(8), 1);
        }
        int k = 1 + rng.nextInt(run.servers() - 1);
        return rng.nextBoolean() ? GuestOp.Io.pioWrite(GuestDevices.extraPort(k) + rng.nextInt(8), 1, rng.nextInt(256))
                : GuestOp.Io.mmioRead(GuestDevices.extraMmio(k) + 4L * rng.nextInt(1024), 4);
    }

    private GuestOp cfcRead() {
        long port = pendingCfcPort;
        pendingCfcPort = -1;
        return GuestOp.Io.pioRead(port, port == 0xCFC ? 4 : 2);
    }
}
