package org.ioreqsim.sim.stress;

/**
 * The named scenarios whose coverage every stress run reports: the races, and the plain reach of guest
 * I/O to a server, without which routing and slot rules are never exercised.
 */
public enum RaceScenario {
    DESTROY_WHILE_INPROCESS("destroy while a request is INPROCESS"),
    DISABLE_WITH_BUFFERED_PENDING("disable with buffered requests pending"),
    UNMAP_DURING_IO("unmap during in-flight I/O"),
    EMULATOR_DIES_FIRST("emulator dies before its target"),
    OVERLAPPING_RANGES("overlapping ranges in two servers"),
    VCPU_ADDED_DURING_CREATE("vCPU added while a server is created"),
    DOMAIN_DESTROYED_DURING_IO("domain destroyed during I/O"),
    GUEST_IO_AT_SERVER("a guest's port, MMIO or config access sent to a server's slot");

    private final String description;

    RaceScenario(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** {@code destroy-while-inprocess} etc. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
