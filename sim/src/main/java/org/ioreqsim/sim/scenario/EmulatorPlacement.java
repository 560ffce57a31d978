package org.ioreqsim.sim.scenario;

/** Where each domain's device models run. */
public enum EmulatorPlacement {
    /** All in dom0 (QEMU processes in the control domain). */
    DOM0,
    /** One device-model stub domain per guest. */
    STUBDOM,
    /** dom0 while its event-channel table has room, stub domains beyond. */
    AUTO
}
