package org.ioreqsim.ioreq.server;

/**
 * What one emulator did.
 *
 * @param targetDomid        the guest
 * @param serverId           its server (-1 before creation)
 * @param requests           synchronous requests answered
 * @param pio                port requests
 * @param mmio               MMIO requests
 * @param pciConfig          PCI config requests
 * @param timeoffset         TIMEOFFSET requests (synchronous or buffered)
 * @param invalidate         INVALIDATE requests
 * @param unclaimed          accesses no device of this emulator claimed
 * @param upcalls            upcalls handled
 * @param spuriousUpcalls    upcalls that found no READY request
 * @param bufferedDelivered  buffered writes drained from the ring
 * @param bufferedPolls      buffered-ring timer polls
 * @param ringHighWater      most slots seen in use by the consumer
 * @param notificationsIn    notifications that reached its ports
 * @param coalesced          of those, coalesced into an upcall already pending
 * @param upcallsRaised      upcalls the ports raised
 */
public record EmulatorStats(int targetDomid, int serverId, long requests, long pio, long mmio, long pciConfig,
                            long timeoffset, long invalidate, long unclaimed, long upcalls, long spuriousUpcalls,
                            long bufferedDelivered, long bufferedPolls, long ringHighWater, long notificationsIn,
                            long coalesced, long upcallsRaised) {

    /** Mutable counters, owned by the emulator actor. */
    public static final class Counters {
        public long requests;
        public long pio;
        public long mmio;
        public long pciConfig;
        public long timeoffset;
        public long invalidate;
        public long unclaimed;
        public long upcalls;
        public long spuriousUpcalls;
        public long bufferedDelivered;
        public long bufferedPolls;
        public long ringHighWater;
    }
}
