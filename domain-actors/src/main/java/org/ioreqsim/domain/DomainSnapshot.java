package org.ioreqsim.domain;

import java.util.List;

/**
 * A domain as the simulation reports it.
 *
 * @param domid      the domain
 * @param name       its label
 * @param state      lifecycle state
 * @param pauseCount nested pauses in force
 * @param pciCf8     the CF8 latch
 * @param servers    its ioreq servers, by id
 * @param vcpuIds    its vCPUs
 * @param crashReason why it crashed, or {@code null}
 * @param findings   hazards the model observed (hypervisor faults, orphaned vCPUs, ...)
 * @param counters   domain-wide counters that outlive servers: buffered slots lost on disable and
 *                   destroy, TIMEOFFSET updates lost
 */
public record DomainSnapshot(int domid, String name, DomainState state, int pauseCount, long pciCf8,
                             List<ServerSnapshot> servers, List<Integer> vcpuIds, String crashReason,
                             List<String> findings, java.util.Map<String, Long> counters) {
}
