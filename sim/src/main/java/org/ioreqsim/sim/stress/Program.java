package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a schedule runs, drawn from a seed by {@link ProgramGenerator} (or shrunk from such a
 * program): the domains and their clients, the notification fault rates, and the operations of every
 * lane in one list. A lane runs its operations in list order, one at a time; lanes run concurrently.
 * Lanes are named {@code d<domid>.c<k>} (emulator client k), {@code d<domid>.ts} (toolstack) and
 * {@code d<domid>.v<id>} (vCPU id).
 *
 * @param domains the guests
 * @param faults  notification fault probabilities (all zero unless faults were opted in)
 * @param steps   the operations
 */
public record Program(List<DomainSetup> domains, FaultRates faults, List<Step> steps) {

    /**
     * One guest.
     *
     * @param domid         its domid (guests are 1..n)
     * @param vcpus         vCPUs at creation
     * @param maxVcpus      vCPU lanes the program has (hot-plugged vCPUs take the next ids)
     * @param emulatedVga   Xen's stdvga is present (VGA writes go buffered)
     * @param maxEvtchnPort the guest's highest event-channel port (small values exhaust ports)
     * @param emulatorDomid where its emulators run: 0 (dom0) or a stub domain serving it
     * @param clients       emulator clients
     * @param ringStart     where fresh buffered rings' read and write pointers start, a 32-bit value
     *                      ({@link StressFeature#RING_WRAP}: near 511 or near 2^32; else 0, as Xen), through
     *                      the simulation knob {@code DomainConfig.bufioreqRingStart}; 0 in older traces
     */
    public record DomainSetup(int domid, int vcpus, int maxVcpus, boolean emulatedVga, int maxEvtchnPort,
                              int emulatorDomid, int clients, long ringStart) {
    }

    /** Probabilities that one event-channel delivery is lost, duplicated or delayed. */
    public record FaultRates(double lost, double dup, double delay) {
        public static final FaultRates NONE = new FaultRates(0, 0, 0);

        public boolean any() {
            return lost > 0 || dup > 0 || delay > 0;
        }
    }

    /** One operation of one lane. */
    public record Step(String lane, StressOp op) {
        public Step {
            Objects.requireNonNull(lane, "lane");
            Objects.requireNonNull(op, "op");
        }
    }

    public Program {
        domains = List.copyOf(domains);
        Objects.requireNonNull(faults, "faults");
        steps = List.copyOf(steps);
    }

    /** The operations of one lane, in order. */
    public List<StressOp> lane(String lane) {
        List<StressOp> out = new ArrayList<>();
        for (Step s : steps) {
            if (s.lane().equals(lane)) {
                out.add(s.op());
            }
        }
        return out;
    }

    /** The same setup with other operations. */
    public Program withSteps(List<Step> s) {
        return new Program(domains, faults, s);
    }

    public static String clientLane(int domid, int k) {
        return "d" + domid + ".c" + k;
    }

    public static String toolstackLane(int domid) {
        return "d" + domid + ".ts";
    }

    public static String vcpuLane(int domid, int vcpu) {
        return "d" + domid + ".v" + vcpu;
    }
}
