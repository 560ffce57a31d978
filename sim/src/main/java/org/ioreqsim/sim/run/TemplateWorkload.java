package org.ioreqsim.sim.run;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.sim.exec.VcpuCountdown;
import org.ioreqsim.sim.scenario.AccessTemplate;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.Workload;

/**
 * A guest vCPU drawing accesses from weighted {@link AccessTemplate}s with a generator seeded from the
 * run's seed and the vCPU's identity (never its spawn order), until a request count or a deadline.
 *
 * <p>Closed loop: the next access follows the completion of the last, after the think time. Open loop:
 * accesses arrive as a Poisson process at the plan's rate whatever the completions; a vCPU runs one
 * access at a time (it is blocked in Xen meanwhile), so arrivals queue behind a slow access and the
 * latency of each counts from its arrival, not from when the vCPU got to it.
 *
 * <p>A PCI config access is the pair a guest issues: a 4-byte CF8 write of the address, then the CFC
 * data cycle; both are ioreqs, and a deadline never falls between them.
 */
final class TemplateWorkload extends SplitMix64 implements Workload {
    /** The buffer of rep string accesses: vCPU {@code v} uses the page at {@code REP_BUFFER + v * 4 KiB}. */
    static final long REP_BUFFER = 0x200000;

    /** What every vCPU of a domain group shares (one object per group, not per vCPU: there may be millions). */
    static final class Plan {
        private final AccessTemplate[] templates;
        private final int[] cumulative;
        private final GuestOp[] fixed;
        private final long thinkNanos;
        private final long meanArrivalNanos;
        private final long requests;
        private final RunMetrics metrics;
        private final VcpuCountdown running;
        private final AtomicLong deadlineNanos;
        /** The run's clock (wall-clock or simulated nanoseconds). */
        private final LongSupplier clock;
        private final AccessLog log;
        private final String[] logKeys;

        /**
         * @param ratePerSec open-loop arrivals per second per vCPU, or 0 for a closed loop
         * @param requests   accesses per vCPU, or 0 to run to the deadline
         */
        Plan(List<AccessTemplate> templates, long thinkNanos, double ratePerSec, long requests, RunMetrics metrics,
             VcpuCountdown running, AtomicLong deadlineNanos) {
            this(templates, thinkNanos, ratePerSec, requests, metrics, running, deadlineNanos, System::nanoTime, null,
                    "");
        }

        /**
         * A plan whose completions are also logged per template ({@code log} may be null), under the
         * template's text prefixed with {@code logPrefix}.
         */
        Plan(List<AccessTemplate> templates, long thinkNanos, double ratePerSec, long requests, RunMetrics metrics,
             VcpuCountdown running, AtomicLong deadlineNanos, LongSupplier clock, AccessLog log, String logPrefix) {
            this.templates = templates.toArray(new AccessTemplate[0]);
            this.cumulative = new int[this.templates.length];
            this.fixed = new GuestOp[this.templates.length];
            int sum = 0;
            for (int i = 0; i < this.templates.length; i++) {
                AccessTemplate t = this.templates[i];
                sum = Math.addExact(sum, t.weight());
                cumulative[i] = sum;
                fixed[i] = fixedOp(t);
            }
            this.thinkNanos = thinkNanos;
            this.meanArrivalNanos = ratePerSec > 0 ? Math.max(1, Math.round(1e9 / ratePerSec)) : 0;
            this.requests = requests > 0 ? requests : Long.MAX_VALUE;
            this.metrics = metrics;
            this.running = running;
            this.deadlineNanos = deadlineNanos;
            this.clock = clock;
            this.log = log;
            this.logKeys = new String[2 * this.templates.length];
            for (int i = 0; i < this.templates.length; i++) {
                AccessTemplate t = this.templates[i];
                boolean pci = t.kind() == AccessTemplate.Kind.PCI;
                logKeys[2 * i] = logPrefix + (pci ? t.text() + " [CF8 write]" : t.text());
                logKeys[2 * i + 1] = logPrefix + t.text() + " [CFC cycle]";
            }
        }

        /** An operation that never varies (a read at one address, a broadcast), built once for every vCPU. */
        private static GuestOp fixedOp(AccessTemplate t) {
            return switch (t.kind()) {
                case INVALIDATE -> new GuestOp.DecreaseReservation();
                case PIO, MMIO -> t.read() && t.first() == t.last() && t.count() == 1
                        ? new GuestOp.Io(t.kind() == AccessTemplate.Kind.MMIO, t.first(), t.size(), 1,
                        IoDirection.READ, false, false, 0) : null;
                default -> null;
            };
        }

        int pick(int r) {
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > r) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        int totalWeight() {
            return cumulative[cumulative.length - 1];
        }
    }

    private static final java.lang.invoke.VarHandle COMPLETED;

    static {
        try {
            COMPLETED = java.lang.invoke.MethodHandles.lookup().findVarHandle(TemplateWorkload.class, "completedOps",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Plan plan;
    /** {@code domid << 8 | vcpu} (a vCPU id is below HVM_MAX_VCPUS = 128): one int less per vCPU. */
    private final int vcpuKey;
    /** Operations this vCPU completed (thinks not counted); written by the vCPU, read by the report. */
    @SuppressWarnings("unused")
    private long completedOps;
    private long remaining;
    private GuestOp.Io secondHalf;
    private boolean thinkNext;
    private boolean finished;
    private long startedAt;
    private long nextArrival = -1;
    /** The log key of the access in flight (template * 2, + 1 for a CFC half), when the plan logs. */
    private int logKey;

    TemplateWorkload(long seed, int domid, int vcpu, Plan plan) {
        super(vcpuSeed(seed, domid, vcpu));
        this.plan = plan;
        if (vcpu < 0 || vcpu > 0xFF) {
            throw new IllegalArgumentException("vCPU id " + vcpu);
        }
        this.vcpuKey = domid << 8 | vcpu;
        this.remaining = plan.requests;
        plan.running.started();
    }

    /** A per-vCPU seed that depends on identity, never on spawn order. */
    static long vcpuSeed(long seed, int domid, int vcpu) {
        long h = seed * 0x9E3779B97F4A7C15L + domid;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + vcpu;
        return h ^ (h >>> 29);
    }

    @Override
    public GuestOp next() {
        if (thinkNext) {
            thinkNext = false;
            return new GuestOp.Think(plan.thinkNanos);
        }
        long now = plan.clock.getAsLong();
        if (secondHalf != null) {
            GuestOp op = secondHalf;
            secondHalf = null;
            logKey |= 1;
            return issue(op, now);
        }
        if (remaining <= 0 || now >= plan.deadlineNanos.get()) {
            finish();
            return null;
        }
        long arrival = now;
        if (plan.meanArrivalNanos > 0) {
            if (nextArrival < 0) {
                nextArrival = now + interArrival();
            }
            if (nextArrival > now) {
                return new GuestOp.Think(nextArrival - now);
            }
            arrival = nextArrival;
            nextArrival += interArrival();
        }
        GuestOp op = draw();
        startedAt = arrival;
        remaining--;
        plan.metrics.issued();
        return op;
    }

    private GuestOp issue(GuestOp op, long now) {
        startedAt = now;
        remaining--;
        plan.metrics.issued();
        return op;
    }

    private long interArrival() {
        return Math.max(1, (long) (-Math.log(1.0 - nextDouble()) * plan.meanArrivalNanos));
    }

    @Override
    public void completed(Outcome outcome) {
        completed(outcome.op(), outcome.kind(), outcome.value(), outcome.reps(), outcome.route(), outcome.buffered(),
                outcome.passes());
    }

    /** The outcome's fields, read without an {@link Outcome} per operation (the vCPU calls this). */
    @Override
    public void completed(GuestOp op, Outcome.Kind kind, long value, long reps, Route route, boolean buffered,
                          int passes) {
        boolean think = op instanceof GuestOp.Think;
        if (!think) {
            COMPLETED.setRelease(this, (long) COMPLETED.get(this) + 1);
            plan.metrics.completed(kind, route, buffered, plan.clock.getAsLong() - startedAt);
            if (plan.log != null) {
                log(op, route, value);
            }
        }
        if (kind == Outcome.Kind.ABANDONED || kind == Outcome.Kind.DOMAIN_CRASHED) {
            remaining = 0;
            secondHalf = null;
            finish();
            return;
        }
        thinkNext = !think && plan.thinkNanos > 0 && secondHalf == null;
    }

    /** This vCPU's completed operations so far, for the report. */
    Fairness.VcpuCount count() {
        return new Fairness.VcpuCount(vcpuKey >>> 8, vcpuKey & 0xFF, (long) COMPLETED.getAcquire(this));
    }

    private void log(GuestOp op, Route route, long value) {
        boolean read = op instanceof GuestOp.Io io && io.isRead();
        int size = read ? ((GuestOp.Io) op).size() : 8;
        long ones = size >= 8 ? -1L : (1L << (8 * size)) - 1;
        plan.log.record(plan.logKeys[logKey], route.key(), read, read && value == ones);
    }

    private void finish() {
        if (!finished) {
            finished = true;
            plan.running.finished();
        }
    }

    private GuestOp draw() {
        int i = plan.pick(nextInt(plan.totalWeight()));
        // The last ioreq of a counted run cannot be a CF8/CFC pair: draw again (a workload of nothing
        // but PCI config accesses issues one ioreq more rather than split a pair).
        for (int tries = 0; remaining == 1 && plan.templates[i].kind() == AccessTemplate.Kind.PCI && tries < 16;
             tries++) {
            i = plan.pick(nextInt(plan.totalWeight()));
        }
        logKey = 2 * i;
        GuestOp fixed = plan.fixed[i];
        if (fixed != null) {
            return fixed;
        }
        AccessTemplate t = plan.templates[i];
        return switch (t.kind()) {
            case PIO, MMIO -> access(t);
            case PCI -> pciConfig(t);
            case RTC -> new GuestOp.SetRtcOffset(1 + nextInt(3600));
            case INVALIDATE -> new GuestOp.DecreaseReservation();
        };
    }

    private GuestOp.Io access(AccessTemplate t) {
        long addr = t.first() + aligned(t.last() - t.first(), t.size());
        boolean mmio = t.kind() == AccessTemplate.Kind.MMIO;
        if (t.count() > 1) {
            return new GuestOp.Io(mmio, addr, t.size(), t.count(), t.read() ? IoDirection.READ : IoDirection.WRITE,
                    false, true, REP_BUFFER + (vcpuKey & 0xFF) * 0x1000L);
        }
        return t.read() ? new GuestOp.Io(mmio, addr, t.size(), 1, IoDirection.READ, false, false, 0)
                : new GuestOp.Io(mmio, addr, t.size(), 1, IoDirection.WRITE, false, false, value(t.size()));
    }

    /** A CF8 write of the function's config address now; the CFC data cycle next. */
    private GuestOp pciConfig(AccessTemplate t) {
        long reg = t.first() + aligned(t.last() - t.first(), t.size());
        long sbdf = t.sbdf();
        long port = 0xCFC + (reg & 3);
        secondHalf = t.read() ? GuestOp.Io.pioRead(port, t.size()) : GuestOp.Io.pioWrite(port, t.size(), value(t.size()));
        return GuestOp.Io.pioWrite(0xCF8, 4, Pci.cf8Address(sbdf, (int) reg));
    }

    /** A uniform multiple of {@code size} in [0, span]. */
    private long aligned(long span, int size) {
        long slots = span / size + 1;
        return slots <= 1 ? 0 : nextLong(slots) * size;
    }

    private long value(int size) {
        long v = nextLong();
        return size >= 8 ? v : v & ((1L << (8 * size)) - 1);
    }
}
