package org.ioreqsim.ioreq.server;

import java.time.Duration;
import java.util.Objects;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.device.DeviceMap;

/**
 * How an emulator (one ioreq server's device model) runs.
 *
 * @param emulatorDomid     the domain it runs in (dom0 or a stub domain): the dm_op caller
 * @param targetDomid       the guest it serves
 * @param bufioreqMode      the mode it creates its server with (QEMU: ATOMIC)
 * @param devices           its devices; it registers their ranges at start
 * @param resourceMapping   map pages with acquire_resource (QEMU's first choice) rather than gfns
 * @param vcpus             how many vCPU ports to bind (QEMU: max_cpus)
 * @param handling          answer requests itself, or leave them to a controller
 * @param enableOnStart     enable the server during start-up (a VM that is running)
 * @param drainOnUpcall     drain the buffered ring on every bufioreq upcall, not only on the timer
 * @param bufferPoll        the buffered-ring polling period (QEMU's BUFFER_IO_MAX_DELAY)
 * @param defaultServer     use the pre-seed default ioreq server instead of creating one (Xen with
 *                          {@code legacyDefaultServer}): read params IOREQ_PFN, BUFIOREQ_PFN and
 *                          BUFIOREQ_EVTCHN, map those gfns, bind; {@code bufioreqMode},
 *                          {@code resourceMapping} and {@code enableOnStart} do not apply, and the
 *                          devices' ranges are not registered (the default server has none)
 */
public record EmulatorConfig(int emulatorDomid, int targetDomid, BufioreqMode bufioreqMode, DeviceMap devices,
                             boolean resourceMapping, int vcpus, Handling handling, boolean enableOnStart,
                             boolean drainOnUpcall, Duration bufferPoll, boolean defaultServer) {

    /** Who answers requests. */
    public enum Handling {
        /** The emulator's device models answer (QEMU). */
        AUTOMATIC,
        /** Requests wait for Take/Respond commands (scripts, tests). */
        MANUAL
    }

    public EmulatorConfig {
        Objects.requireNonNull(bufioreqMode, "bufioreqMode");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(handling, "handling");
        Objects.requireNonNull(bufferPoll, "bufferPoll");
    }

    /** QEMU's defaults: ATOMIC, resource mapping, enabled at start, 100 ms buffered polling. */
    public static EmulatorConfig qemu(int emulatorDomid, int targetDomid, DeviceMap devices, int vcpus) {
        return new EmulatorConfig(emulatorDomid, targetDomid, BufioreqMode.ATOMIC, devices, true, vcpus,
                Handling.AUTOMATIC, true, true, Duration.ofMillis(Xen.BUFFER_IO_MAX_DELAY_MS), false);
    }

    public EmulatorConfig withHandling(Handling h) {
        return new EmulatorConfig(emulatorDomid, targetDomid, bufioreqMode, devices, resourceMapping, vcpus, h,
                enableOnStart, drainOnUpcall, bufferPoll, defaultServer);
    }

    public EmulatorConfig withBufioreqMode(BufioreqMode m) {
        return new EmulatorConfig(emulatorDomid, targetDomid, m, devices, resourceMapping, vcpus, handling,
                enableOnStart, drainOnUpcall, bufferPoll, defaultServer);
    }

    public EmulatorConfig withResourceMapping(boolean on) {
        return new EmulatorConfig(emulatorDomid, targetDomid, bufioreqMode, devices, on, vcpus, handling,
                enableOnStart, drainOnUpcall, bufferPoll, defaultServer);
    }

    /**
     * Pre-seed QEMU on the default server: its fallback when creating a server fails
     * ({@code xen_get_default_ioreq_server_info}), and qemu-xen-traditional's only mode.
     */
    public EmulatorConfig withDefaultServer(boolean on) {
        return new EmulatorConfig(emulatorDomid, targetDomid, bufioreqMode, devices, resourceMapping, vcpus, handling,
                enableOnStart, drainOnUpcall, bufferPoll, on);
    }
}
