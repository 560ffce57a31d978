package org.ioreqsim.sim.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.vcpu.GuestOp;
import org.junit.jupiter.api.Test;

/**
 * The generator's inputs: every program is a function of its seed, and over the default campaign's
 * seeds each feature ({@link StressFeature}) produces each input kind it is there for (spec 6.1 for
 * CF8, 7.2/7.4 for the emulator's protocol, 8.2 for the ring pointers).
 */
class ProgramGeneratorTest {
    private static final StressConfig DEFAULTS = StressConfig.defaults();
    private static final int SEEDS = 1000;

    @Test
    void theSameSeedGivesTheSameProgram() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (StressConfig cfg : List.of(DEFAULTS, DEFAULTS.withFeatures(StressFeature.flags()),
                DEFAULTS.withSwarm(false))) {
            for (long seed = 1; seed <= 60; seed++) {
                Program a = ProgramGenerator.generate(cfg, seed);
                ProgramGenerator.generate(cfg, seed + 7);
                Program b = ProgramGenerator.generate(cfg, seed);
                assertEquals(a, b, "seed " + seed);
                assertEquals(json.writeValueAsString(a), json.writeValueAsString(b), "seed " + seed);
            }
        }
        assertNotEquals(ProgramGenerator.generate(DEFAULTS, 1), ProgramGenerator.generate(DEFAULTS, 2));
    }

    @Test
    void swarmSwitchesEachFeatureOnForSomeSeedsAndOffForOthers() {
        for (StressFeature f : StressFeature.values()) {
            int on = 0;
            for (long seed = 1; seed <= SEEDS; seed++) {
                if (ProgramGenerator.features(DEFAULTS, seed).contains(f)) {
                    on++;
                }
            }
            assertTrue(on > SEEDS * f.swarmPercent() / 200 && on < SEEDS * 2 * f.swarmPercent() / 100,
                    f.flag() + " on for " + on + " of " + SEEDS + " seeds, swarm draws " + f.swarmPercent() + "%");
        }
    }

    @Test
    void aForcedFeatureIsOnForEverySeedAndNoSwarmHasOnlyTheForcedOnes() {
        StressConfig only = DEFAULTS.withFeatures(List.of("ring-wrap"));
        for (long seed = 1; seed <= 100; seed++) {
            assertTrue(ProgramGenerator.features(only, seed).contains(StressFeature.RING_WRAP), "seed " + seed);
            assertEquals(Set.of(), ProgramGenerator.features(DEFAULTS.withSwarm(false), seed));
            assertEquals(EnumSet.of(StressFeature.CF8_WIDE),
                    ProgramGenerator.features(DEFAULTS.withSwarm(false).withFeatures(List.of("cf8-wide")), seed));
        }
    }

    /** Spec 6 and 6.1: CF8 values, access sizes and data ports the model routes and the oracle predicts. */
    @Test
    void cf8WideProducesEveryKindOfConfigAccess() {
        Set<String> seen = new TreeSet<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Program p = ProgramGenerator.generate(DEFAULTS, seed);
            for (String lane : vcpuLanes(p)) {
                GuestOp.Io previous = null;
                for (StressOp op : p.lane(lane)) {
                    if (op instanceof StressOp.Guest g && g.guest() instanceof GuestOp.Io io && !io.mmio()) {
                        classify(io, previous, seen);
                        previous = io;
                    }
                }
            }
        }
        for (String kind : List.of("cf8 write 4 enabled", "cf8 write 4 disabled", "cf8 bits 30..24", "cf8 bus 1",
                "cf8 function 2", "cf8 other bus/device/function", "cf8 write 1", "cf8 write 2", "cf8 read 1",
                "cf8 read 2", "cf8 read 4", "bare cfc", "cfc 0xcfd size 1", "cfc 0xcfe size 2", "cfc 0xcff size 4",
                "cfc 0xcfc size 4")) {
            assertTrue(seen.contains(kind), kind + " never generated; seen " + seen);
        }
    }

    private static void classify(GuestOp.Io io, GuestOp.Io previous, Set<String> seen) {
        if ((io.addr() & ~3L) == Xen.PCI_CF8) {
            seen.add("cf8 " + (io.isRead() ? "read " : "write ") + io.size());
            if (!io.isRead() && io.size() == 4) {
                long v = io.data();
                seen.add("cf8 write 4 " + ((v & 0x8000_0000L) != 0 ? "enabled" : "disabled"));
                if ((v & 0x7F00_0000L) != 0) {
                    seen.add("cf8 bits 30..24");
                }
                int bus = (int) (v >>> 16) & 0xFF;
                int dev = (int) (v >>> 11) & 0x1F;
                int fn = (int) (v >>> 8) & 7;
                if (bus == StressDevices.PCI_BUS_C && dev == StressDevices.PCI_DEVICE_A && fn == 0) {
                    seen.add("cf8 bus 1");
                } else if (bus == 0 && dev == StressDevices.PCI_DEVICE_A && fn == StressDevices.PCI_FUNCTION_D) {
                    seen.add("cf8 function 2");
                } else if (bus != 0 || fn != 0) {
                    seen.add("cf8 other bus/device/function");
                }
            }
        } else if ((io.addr() & ~3L) == Xen.PCI_CFC) {
            seen.add("cfc 0x" + Long.toHexString(io.addr()) + " size " + io.size());
            if (previous == null || (previous.addr() & ~3L) != Xen.PCI_CF8) {
                seen.add("bare cfc");
            }
        }
    }

    /** Spec 7.2 and 7.4: each protocol breach an emulator client can commit. */
    @Test
    void badEmulatorProducesEveryBreach() {
        Set<String> acts = new TreeSet<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Program p = ProgramGenerator.generate(DEFAULTS, seed);
            for (Program.Step s : p.steps()) {
                if (s.op() instanceof StressOp.Misbehave m) {
                    assertTrue(ProgramGenerator.features(DEFAULTS, seed).contains(StressFeature.BAD_EMULATOR));
                    acts.add(m.act());
                }
            }
        }
        assertEquals(new TreeSet<>(StressOp.Misbehave.ACTS), acts);
    }

    @Test
    void crashRestartStartsAnEmulatorAgainAfterACrash() {
        assertTrue(anySeed(p -> {
            for (Program.DomainSetup d : p.domains()) {
                for (int k = 0; k < d.clients(); k++) {
                    List<StressOp> ops = p.lane(Program.clientLane(d.domid(), k));
                    for (int i = 0; i + 1 < ops.size(); i++) {
                        if (ops.get(i) instanceof StressOp.Crash && ops.get(i + 1) instanceof StressOp.Start s
                                && s.manual() && s.answerDelayMs() > 0) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }), "no crash followed by a restart of a slow manual emulator");
    }

    @Test
    void tightPortsAndRingsNearAWrap() {
        assertTrue(anySeed(p -> p.domains().get(0).maxEvtchnPort() < 16), "no tight event-channel limit");
        assertTrue(anySeed(p -> {
            long s = p.domains().get(0).ringStart();
            return s > 500 && s < Xen.IOREQ_BUFFER_SLOT_NUM;
        }), "no ring starting just below 511");
        assertTrue(anySeed(p -> p.domains().get(0).ringStart() > 0xFFFF_F000L), "no ring starting just below 2^32");
        assertFalse(anySeed(p -> p.domains().get(0).ringStart() != 0 && !p.domains().get(0).emulatedVga()),
                "a ring near a wrap needs VGA writes");
    }

    @Test
    void cf8WideLetsEmulatorsRegisterFunctionsOnBusOneAndAtFunctionTwo() {
        int c = 1 << StressDevices.BASE_REGISTRATIONS;
        int d = 1 << (StressDevices.BASE_REGISTRATIONS + 1);
        assertEquals("pciC", StressDevices.REGISTRATIONS.get(StressDevices.BASE_REGISTRATIONS).name());
        assertTrue(anySeed(p -> p.steps().stream().anyMatch(s -> s.op() instanceof StressOp.Start st
                && (st.devices() & c) != 0)));
        assertTrue(anySeed(p -> p.steps().stream().anyMatch(s -> s.op() instanceof StressOp.Start st
                && (st.devices() & d) != 0)));
        for (long seed = 1; seed <= 200; seed++) {
            Program p = ProgramGenerator.generate(DEFAULTS.withSwarm(false), seed);
            assertTrue(p.steps().stream().noneMatch(s -> s.op() instanceof StressOp.Start st && st.devices() >= c),
                    "without cf8-wide only the base registrations: seed " + seed);
        }
    }

    /** Spec 6: a server takes an access only when its range holds every byte, so some accesses run past one. */
    @Test
    void someAccessesRunPastTheEndOfARegisteredRange() {
        assertTrue(anyGuestAccess(io -> !io.mmio() && io.size() > 1 && bankEnd(io.addr()) >= 0
                && io.addr() + io.size() - 1 > bankEnd(io.addr())), "no port access running past a bank");
        assertTrue(anyGuestAccess(io -> !io.mmio() && io.size() == 2 && io.addr() + 1 <= bankEnd(io.addr())),
                "no 2-byte port access inside a bank");
        assertTrue(anyGuestAccess(io -> io.mmio() && io.size() == 8 && (io.addr() & 0xFFF) == 0xFFC
                && io.addr() >= StressDevices.PAGE_BASE), "no MMIO access running past a page");
        assertTrue(anyGuestAccess(io -> io.mmio() && io.size() == 8 && (io.addr() & 0xFFF) == 0xFF8
                && io.addr() >= StressDevices.PAGE_BASE), "no 8-byte MMIO access inside a page");
    }

    /**
     * Some unmaps straddle a registered region's start or end: they overlap what a map of that region
     * stored without lying inside it, which Xen refuses (spec 10.5 step 5).
     */
    @Test
    void someUnmapsStraddleARegion() {
        boolean pastEnd = false;
        boolean beforeStart = false;
        for (long seed = 1; seed <= SEEDS && !(pastEnd && beforeStart); seed++) {
            for (Program.Step step : ProgramGenerator.generate(DEFAULTS, seed).steps()) {
                if (step.op() instanceof StressOp.Unmap u) {
                    for (StressDevices.Region r : StressDevices.REGISTRATIONS) {
                        if (r.type().code() == u.type() && u.start() <= u.end()) {
                            pastEnd |= u.start() > r.start() && u.start() <= r.end() && u.end() > r.end();
                            beforeStart |= u.start() < r.start() && u.end() >= r.start() && u.end() < r.end();
                        }
                    }
                }
            }
        }
        assertTrue(pastEnd, "no unmap running past a region's end");
        assertTrue(beforeStart, "no unmap starting before a region's start");
    }

    /** Half the lanes end with accesses after simulated time has passed, the others do not. */
    @Test
    void someLanesEndWithLateAccesses() {
        int late = 0;
        int lanes = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Program p = ProgramGenerator.generate(DEFAULTS, seed);
            for (String lane : vcpuLanes(p)) {
                List<StressOp> ops = p.lane(lane);
                lanes++;
                for (int i = 0; i < ops.size(); i++) {
                    if (ops.get(i) instanceof StressOp.Guest g && g.guest() instanceof GuestOp.Think) {
                        late++;
                        int after = ops.size() - i - 1;
                        assertTrue(after >= 1, lane + " of seed " + seed + " thinks and then does nothing");
                        break;
                    }
                }
            }
        }
        assertTrue(late > lanes / 3 && late < lanes * 2 / 3, late + " of " + lanes + " lanes with late accesses");
    }

    /** The last port of the bank {@code port} lies in, or -1 outside the banks. */
    private static long bankEnd(long port) {
        for (int k = 0; k < StressDevices.BANKS; k++) {
            if (port >= StressDevices.bank(k) && port <= StressDevices.bank(k) + 7) {
                return StressDevices.bank(k) + 7;
            }
        }
        return -1;
    }

    private static boolean anyGuestAccess(Predicate<GuestOp.Io> p) {
        return anySeed(prog -> prog.steps().stream().anyMatch(s -> s.op() instanceof StressOp.Guest g
                && g.guest() instanceof GuestOp.Io io && p.test(io)));
    }

    private static boolean anySeed(Predicate<Program> p) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            if (p.test(ProgramGenerator.generate(DEFAULTS, seed))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> vcpuLanes(Program p) {
        List<String> out = new ArrayList<>();
        for (Program.DomainSetup d : p.domains()) {
            for (int v = 0; v < d.maxVcpus(); v++) {
                out.add(Program.vcpuLane(d.domid(), v));
            }
        }
        return out;
    }
}
