package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.vcpu.GuestOp;

/**
 * Draws a {@link Program} from a seed: the operation choices of one schedule. With swarm testing on,
 * each seed also draws its shape (vCPUs, clients, emulated VGA, a tight event-channel limit, stub
 * domains), which kinds of operation occur at all, and the fault rates, so that different seeds stress
 * different mixes instead of all seeds stressing the same average. The rarer inputs are
 * {@link StressFeature}s, drawn per seed the same way or forced on by the configuration.
 */
public final class ProgramGenerator {

    /** Operation kinds swarm testing switches on and off per seed. */
    enum Kind {
        MAP, UNMAP, SET_STATE, GET_INFO, ACQUIRE, DESTROY, CRASH, BIND, RAW,
        PAUSE, ADD_VCPU, REMOVE_VCPU, PARAMS, DESTROY_DOMAIN,
        PIO, MMIO, VGA, PCI, UNCLAIMED, INVALIDATE, RTC,
        /** One vCPU writes the VGA window more times than a buffered ring holds (ring full, canonicalisation). */
        VGA_BURST
    }

    /** When a lane's late accesses start, in ms of simulated time (emulators answer after 1 to 150 ms). */
    private static final int[] LATE_MS = {1, 20, 60, 120};
    /** Sizes of a port access, by frequency. */
    private static final int[] PORT_SIZES = {1, 1, 1, 2, 4};
    /** At most this many late accesses per lane. */
    private static final int LATE_ACCESSES = 3;

    /** Writes in a VGA burst: 8-byte writes, two slots each, more than the 511 slots of a ring. */
    static final int BURST = 270;

    private final StressConfig cfg;
    private final SplittableRandom rng;
    private final EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
    private final EnumSet<StressFeature> features = EnumSet.noneOf(StressFeature.class);

    private ProgramGenerator(StressConfig cfg, long seed) {
        this.cfg = cfg;
        this.rng = new SplittableRandom(Seeds.mix(seed, 0x0B5));
    }

    /** The program of {@code seed} under {@code cfg}. */
    public static Program generate(StressConfig cfg, long seed) {
        return new ProgramGenerator(cfg, seed).program();
    }

    /** The features {@code seed}'s program has under {@code cfg} (swarm's draw and the forced ones). */
    public static Set<StressFeature> features(StressConfig cfg, long seed) {
        ProgramGenerator g = new ProgramGenerator(cfg, seed);
        g.program();
        return Collections.unmodifiableSet(g.features);
    }

    private Program program() {
        for (Kind k : Kind.values()) {
            if (!cfg.swarm() || rng.nextInt(100) < weightOn(k)) {
                kinds.add(k);
            }
        }
        for (StressFeature f : StressFeature.values()) {
            boolean drawn = cfg.swarm() && rng.nextInt(100) < f.swarmPercent();
            if (drawn || cfg.forced(f)) {
                features.add(f);
            }
        }
        if (features.contains(StressFeature.CRASH_RESTART)) {
            kinds.add(Kind.CRASH);
        }
        if (features.contains(StressFeature.RING_WRAP)) {
            kinds.add(Kind.VGA);
        }
        int total = cfg.swarm() ? Math.max(4, cfg.ops() / 2 + rng.nextInt(cfg.ops() / 2 + 1)) : cfg.ops();
        List<Program.DomainSetup> domains = new ArrayList<>();
        List<List<Program.Step>> lanes = new ArrayList<>();
        int perDomain = Math.max(3, total / cfg.domains());
        for (int d = 1; d <= cfg.domains(); d++) {
            Program.DomainSetup setup = domain(d);
            domains.add(setup);
            lanes.addAll(lanes(setup, perDomain));
        }
        return new Program(domains, faults(), interleave(lanes));
    }

    /** Percent chance that swarm testing keeps a kind. */
    private static int weightOn(Kind k) {
        return switch (k) {
            case CRASH, DESTROY_DOMAIN, RAW, REMOVE_VCPU -> 45;
            case VGA_BURST -> 15;
            default -> 75;
        };
    }

    private Program.DomainSetup domain(int domid) {
        int vcpus = cfg.swarm() ? 1 + rng.nextInt(cfg.vcpus()) : cfg.vcpus();
        int maxVcpus = vcpus + (kinds.contains(Kind.ADD_VCPU) ? 1 : 0);
        int clients = cfg.swarm() ? 1 + rng.nextInt(cfg.servers()) : cfg.servers();
        boolean vga = !cfg.swarm() || rng.nextInt(4) != 0;
        int ports = 1023;
        if (features.contains(StressFeature.TIGHT_PORTS)) {
            ports = Math.max(2, clients * (vcpus + 1) + rng.nextInt(2));
        }
        int emulator = cfg.swarm() && rng.nextInt(4) == 0 ? cfg.domains() + domid : 0;
        long ringStart = 0;
        if (features.contains(StressFeature.RING_WRAP)) {
            vga = true;
            ringStart = rng.nextBoolean() ? Xen.IOREQ_BUFFER_SLOT_NUM - 1 - rng.nextInt(8)
                    : 0x1_0000_0000L - 1 - rng.nextInt(BURST * 2 + 64);
        }
        return new Program.DomainSetup(domid, vcpus, maxVcpus, vga, ports, emulator, clients, ringStart);
    }

    private Program.FaultRates faults() {
        if (cfg.faults().isEmpty()) {
            return Program.FaultRates.NONE;
        }
        double lost = cfg.faults().contains("lost") ? rate() : 0;
        double dup = cfg.faults().contains("dup") ? rate() : 0;
        double delay = cfg.faults().contains("delay") ? rate() : 0;
        return new Program.FaultRates(lost, dup, delay);
    }

    private double rate() {
        return cfg.swarm() ? Math.round(rng.nextDouble() * 0.15 * 1000) / 1000.0 : 0.05;
    }

    private List<List<Program.Step>> lanes(Program.DomainSetup d, int budget) {
        List<List<Program.Step>> out = new ArrayList<>();
        int clientOps = Math.max(1, budget * 4 / 10 / d.clients());
        boolean burst = d.emulatedVga() && kinds.contains(Kind.VGA_BURST);
        for (int k = 0; k < d.clients(); k++) {
            out.add(client(d, k, clientOps, burst && k == 0));
        }
        out.add(toolstack(d, Math.max(1, budget * 15 / 100)));
        int vcpuOps = Math.max(1, budget * 45 / 100 / d.maxVcpus());
        for (int v = 0; v < d.maxVcpus(); v++) {
            out.add(vcpu(d, v, vcpuOps, v == 0 && burst));
        }
        return out;
    }

    /** {@code ringed}: this client's first server takes the VGA window through a buffered ring (for a burst). */
    private List<Program.Step> client(Program.DomainSetup d, int k, int n, boolean ringed) {
        String lane = Program.clientLane(d.domid(), k);
        List<Program.Step> ops = new ArrayList<>();
        StressOp.Start first = start(false);
        if (ringed) {
            first = new StressOp.Start(rng.nextInt(4) == 0 ? 1 : 2, first.resource(), true, first.manual(),
                    first.devices() | 1 << 5, first.answerDelayMs());
        }
        ops.add(new Program.Step(lane, first));
        boolean crashed = false;
        boolean restart = features.contains(StressFeature.CRASH_RESTART);
        boolean bad = features.contains(StressFeature.BAD_EMULATOR);
        for (int i = 1; i < n && !crashed; i++) {
            // the features' operations come on top of the lane's usual ones, which stay as they were
            if (bad && rng.nextInt(4) == 0) {
                ops.add(new Program.Step(lane, misbehave(d)));
            }
            if (restart && rng.nextInt(5) == 0) {
                ops.add(new Program.Step(lane, new StressOp.Crash()));
                ops.add(new Program.Step(lane, start(true)));
            }
            Kind kind = pick(Kind.MAP, Kind.UNMAP, Kind.SET_STATE, Kind.GET_INFO, Kind.ACQUIRE, Kind.DESTROY,
                    Kind.CRASH, Kind.BIND, Kind.RAW);
            StressOp op = switch (kind) {
                case MAP -> {
                    StressDevices.Region r = region();
                    long[] range = subRange(r);
                    yield new StressOp.Map(r.type().code(), range[0], range[1]);
                }
                case UNMAP -> {
                    StressDevices.Region r = region();
                    long[] range = unmapRange(r);
                    yield new StressOp.Unmap(r.type().code(), range[0], range[1]);
                }
                case SET_STATE -> new StressOp.SetState(rng.nextBoolean());
                case GET_INFO -> new StressOp.GetInfo(rng.nextBoolean() ? 0 : 1);
                case ACQUIRE -> new StressOp.Acquire(rng.nextInt(10) == 0 ? 2 : rng.nextInt(2), 1 + rng.nextInt(2));
                case DESTROY -> rng.nextInt(3) == 0 ? start(false) : new StressOp.Destroy();
                case CRASH -> {
                    crashed = i > n / 2;
                    yield crashed ? new StressOp.Crash() : new StressOp.Bind();
                }
                case BIND -> new StressOp.Bind();
                case RAW -> raw();
                default -> new StressOp.Bind();
            };
            ops.add(new Program.Step(lane, op));
        }
        return ops;
    }

    /** A protocol breach on one of the domain's vCPU slots. */
    private StressOp.Misbehave misbehave(Program.DomainSetup d) {
        String act = StressOp.Misbehave.ACTS.get(rng.nextInt(StressOp.Misbehave.ACTS.size()));
        int v = rng.nextInt(d.maxVcpus());
        long value = switch (act) {
            // not INPROCESS or IORESP_READY: from READY those are a take the lane's answerer never learns of
            // and an answer without a notification, moves the monitors cannot tell from the protocol's own,
            // which leave the vCPU blocked (liveness) rather than the slot broken (EMU)
            case "slot-state" -> new int[] {0, 1, 4, 5, 7, 8, 15}[rng.nextInt(7)];
            case "vp-eport" -> 1 + rng.nextInt(Math.min(d.maxEvtchnPort(), 64));
            default -> rng.nextLong();
        };
        return new StressOp.Misbehave(act, v, value);
    }

    /** {@code held}: an emulator restarted after a crash, manual and slow, so the next crash finds requests held. */
    private StressOp.Start start(boolean held) {
        int r = rng.nextInt(10);
        int bufioreq = r < 6 ? 2 : r < 8 ? 1 : 0;
        int mask = 0;
        while (mask == 0) {
            for (int i = 0; i < registrations(); i++) {
                if (rng.nextInt(100) < 35) {
                    mask |= 1 << i;
                }
            }
        }
        boolean manual = held || rng.nextInt(10) < 6;
        int delay = manual && (held || rng.nextInt(10) < 4) ? 1 + rng.nextInt(150) : 0;
        return new StressOp.Start(bufioreq, rng.nextInt(10) < 7, rng.nextInt(100) < 85, manual, mask, delay);
    }

    private StressDevices.Region region() {
        return StressDevices.REGISTRATIONS.get(rng.nextInt(registrations()));
    }

    /** The registrations this program's emulators may use (bus 1 and function 2 only with CF8_WIDE). */
    private int registrations() {
        return features.contains(StressFeature.CF8_WIDE) ? StressDevices.REGISTRATIONS.size()
                : StressDevices.BASE_REGISTRATIONS;
    }

    /** Mostly the whole region; sometimes its first half, one unit, or a reversed (invalid) range. */
    private long[] subRange(StressDevices.Region r) {
        int p = rng.nextInt(20);
        if (p == 0) {
            return new long[] {r.end() + 1, r.start()};
        }
        if (p < 4 && r.end() > r.start()) {
            return new long[] {r.start(), r.start() + (r.end() - r.start()) / 2};
        }
        if (p < 6) {
            return new long[] {r.start(), r.start()};
        }
        return new long[] {r.start(), r.end()};
    }

    /**
     * An unmap's range: one a map could have registered, or (one in five) one that straddles the region's
     * start or end, so it overlaps a stored range without lying inside it: Xen refuses it (-ENOENT, spec
     * 10.5 step 5), and an unmap that checked only for an overlap would take part of a range away.
     */
    private long[] unmapRange(StressDevices.Region r) {
        if (rng.nextInt(5) != 0 || r.end() == r.start()) {
            return subRange(r);
        }
        long mid = r.start() + (r.end() - r.start() + 1) / 2;
        long past = 1 + rng.nextInt(4);
        return rng.nextBoolean() ? new long[] {mid, r.end() + past} : new long[] {r.start() - past, mid};
    }

    private List<Program.Step> toolstack(Program.DomainSetup d, int n) {
        String lane = Program.toolstackLane(d.domid());
        List<Program.Step> ops = new ArrayList<>();
        if (!cfg.swarm() || rng.nextInt(100) < 85) {
            ops.add(new Program.Step(lane, new StressOp.SetParam(HvmParam.IOREQ_SERVER_PFN, 0xFEFF0)));
            ops.add(new Program.Step(lane, new StressOp.SetParam(HvmParam.NR_IOREQ_SERVER_PAGES, 8)));
        }
        boolean destroyed = false;
        for (int i = 0; i < n && !destroyed; i++) {
            Kind kind = pick(Kind.PAUSE, Kind.ADD_VCPU, Kind.REMOVE_VCPU, Kind.PARAMS, Kind.DESTROY_DOMAIN, Kind.RAW);
            switch (kind) {
                case PAUSE -> {
                    ops.add(new Program.Step(lane, new StressOp.Pause()));
                    if (rng.nextBoolean() && kinds.contains(Kind.ADD_VCPU)) {
                        ops.add(new Program.Step(lane, new StressOp.AddVcpu()));
                    }
                    ops.add(new Program.Step(lane, new StressOp.Unpause()));
                }
                case ADD_VCPU -> ops.add(new Program.Step(lane, new StressOp.AddVcpu()));
                case REMOVE_VCPU -> ops.add(new Program.Step(lane, new StressOp.RemoveVcpu(rng.nextInt(d.maxVcpus()))));
                case DESTROY_DOMAIN -> {
                    destroyed = i >= n / 2;
                    ops.add(new Program.Step(lane, destroyed ? new StressOp.DestroyDomain()
                            : new StressOp.GetParam(HvmParam.IOREQ_SERVER_PFN)));
                }
                // dom0 on a server of the domain: its own when the emulators run in dom0, else -EPERM (spec 10)
                case RAW -> ops.add(new Program.Step(lane, raw()));
                default -> ops.add(new Program.Step(lane, param()));
            }
        }
        return ops;
    }

    private StressOp raw() {
        return rng.nextBoolean() ? new StressOp.RawSetState(rng.nextInt(4), rng.nextBoolean())
                : new StressOp.RawDestroy(rng.nextInt(4));
    }

    private StressOp param() {
        return switch (rng.nextInt(5)) {
            case 0 -> new StressOp.SetParam(HvmParam.NR_IOREQ_SERVER_PAGES, 8);
            case 1 -> new StressOp.SetParam(HvmParam.NR_IOREQ_SERVER_PAGES, 1 + rng.nextInt(8));
            case 2 -> new StressOp.SetParam(HvmParam.IOREQ_SERVER_PFN, 0xFEFF0);
            default -> new StressOp.GetParam(new int[] {HvmParam.IOREQ_PFN, HvmParam.BUFIOREQ_PFN,
                HvmParam.BUFIOREQ_EVTCHN, HvmParam.IOREQ_SERVER_PFN, HvmParam.NR_IOREQ_SERVER_PAGES,
                HvmParam.DM_DOMAIN}[rng.nextInt(6)]);
        };
    }

    private List<Program.Step> vcpu(Program.DomainSetup d, int v, int n, boolean burst) {
        String lane = Program.vcpuLane(d.domid(), v);
        List<Program.Step> ops = new ArrayList<>();
        int[] seq = {0};
        int burstAt = burst ? rng.nextInt(Math.max(1, n)) : -1;
        for (int i = 0; i < n; i++) {
            if (i == burstAt) {
                for (int w = 0; w < BURST; w++) {
                    ops.add(new Program.Step(lane, new StressOp.Guest(GuestOp.Io.mmioWrite(
                            StressDevices.VGA + 8L * (w & 0xFF), 8, StressDevices.vgaData(v, ++seq[0])))));
                }
            }
            access(lane, v, seq, ops);
        }
        if (rng.nextBoolean()) {
            // the lane's accesses above race the emulators' start-up and lifecycle; these come after some
            // simulated time, which in a controlled schedule passes only when nothing else can run, so
            // they find the servers as the emulators left them (created, mapped and enabled, or not),
            // between delayed answers and ring polls
            ops.add(new Program.Step(lane, new StressOp.Guest(new GuestOp.Think(
                    LATE_MS[rng.nextInt(LATE_MS.length)] * 1_000_000L))));
            for (int i = 1 + rng.nextInt(LATE_ACCESSES); i > 0; i--) {
                access(lane, v, seq, ops);
            }
        }
        return ops;
    }

    /** One guest access of vCPU {@code v}'s lane, of a kind swarm testing kept. */
    private void access(String lane, int v, int[] seq, List<Program.Step> ops) {
        Kind kind = pick(Kind.PIO, Kind.MMIO, Kind.VGA, Kind.PCI, Kind.UNCLAIMED, Kind.INVALIDATE, Kind.RTC);
        switch (kind) {
            case MMIO -> {
                // now and then 8 bytes at the page's end: contained, or 4 bytes past it (spec 6: a server
                // takes an access only if its range holds every byte)
                boolean wide = rng.nextInt(8) == 0;
                long addr = StressDevices.page(rng.nextInt(StressDevices.PAGES))
                        + (wide ? 0xFF8 + 4L * rng.nextInt(2) : 4L * rng.nextInt(1024));
                int size = wide ? 8 : 4;
                ops.add(new Program.Step(lane, new StressOp.Guest(rng.nextBoolean() ? GuestOp.Io.mmioRead(addr, size)
                        : GuestOp.Io.mmioWrite(addr, size, rng.nextInt()))));
            }
            case VGA -> ops.add(new Program.Step(lane, new StressOp.Guest(GuestOp.Io.mmioWrite(
                    StressDevices.VGA + 2L * rng.nextInt(0x100), 2, StressDevices.vgaData(v, ++seq[0])))));
            case PCI -> {
                for (GuestOp g : PciDraws.access(rng, features.contains(StressFeature.CF8_WIDE))) {
                    ops.add(new Program.Step(lane, new StressOp.Guest(g)));
                }
            }
            case UNCLAIMED -> ops.add(new Program.Step(lane, new StressOp.Guest(
                    GuestOp.Io.pioRead(StressDevices.UNCLAIMED_PORT, 1))));
            case INVALIDATE -> ops.add(new Program.Step(lane, new StressOp.Guest(new GuestOp.DecreaseReservation())));
            case RTC -> ops.add(new Program.Step(lane, new StressOp.Guest(new GuestOp.SetRtcOffset(
                    rng.nextInt(7200) - 3600))));
            default -> {
                // inb mostly, inw and inl too: a wide access near a bank's end runs past it (spec 6)
                int size = PORT_SIZES[rng.nextInt(PORT_SIZES.length)];
                long port = StressDevices.bank(rng.nextInt(StressDevices.BANKS)) + rng.nextInt(8);
                ops.add(new Program.Step(lane, new StressOp.Guest(rng.nextBoolean() ? GuestOp.Io.pioRead(port, size)
                        : GuestOp.Io.pioWrite(port, size, rng.nextLong() & ((1L << 8 * size) - 1)))));
            }
        }
    }

    /** A kind among {@code choices} that swarm testing kept; weighted to the first few (the common ones). */
    private Kind pick(Kind... choices) {
        List<Kind> on = new ArrayList<>();
        for (Kind k : choices) {
            if (kinds.contains(k)) {
                on.add(k);
            }
        }
        if (on.isEmpty()) {
            return choices[0];
        }
        return on.get(rng.nextInt(on.size()));
    }

    /** Round-robin over the lanes, so the listing reads roughly in time order. */
    private static List<Program.Step> interleave(List<List<Program.Step>> lanes) {
        List<Program.Step> out = new ArrayList<>();
        int max = 0;
        for (List<Program.Step> l : lanes) {
            max = Math.max(max, l.size());
        }
        for (int i = 0; i < max; i++) {
            for (List<Program.Step> l : lanes) {
                if (i < l.size()) {
                    out.add(l.get(i));
                }
            }
        }
        return out;
    }
}
