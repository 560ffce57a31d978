package org.ioreqsim.ioreq.server;

import java.util.List;
import org.ioreqsim.ioreq.evtchn.EventChannel;

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

        /** The figures now, with the counts of the emulator's open ports ({@code null}: a port gone). */
        EmulatorStats snapshot(int targetDomid, int serverId, long ringHighWater, List<EventChannel> ports) {
            long notified = 0;
            long coalesced = 0;
            long raised = 0;
            for (EventChannel c : ports) {
                if (c != null) {
                    notified += c.notified();
                    coalesced += c.coalesced();
                    raised += c.upcalls();
                }
            }
            return new EmulatorStats(targetDomid, serverId, requests, pio, mmio, pciConfig, timeoffset, invalidate,
                    unclaimed, upcalls, spuriousUpcalls, bufferedDelivered, bufferedPolls, ringHighWater, notified,
                    coalesced, raised);
        }
    }
}
