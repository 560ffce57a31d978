package org.ioreqsim.vcpu;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;
import org.ioreqsim.ioreq.IoDirection;

/** One thing a guest vCPU does that the simulation cares about. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GuestOp.Io.class, name = "io"),
    @JsonSubTypes.Type(value = GuestOp.Think.class, name = "think"),
    @JsonSubTypes.Type(value = GuestOp.SetRtcOffset.class, name = "set_rtc_offset"),
    @JsonSubTypes.Type(value = GuestOp.DecreaseReservation.class, name = "decrease_reservation"),
    @JsonSubTypes.Type(value = GuestOp.SchedOpShutdown.class, name = "sched_op_shutdown")})
public sealed interface GuestOp {

    /**
     * A port or MMIO access by one instruction ({@code hvmemul_do_io}'s inputs).
     *
     * @param mmio      memory-mapped rather than port I/O
     * @param addr      port or guest-physical address
     * @param size      bytes per repetition
     * @param count     repetitions ({@code reps})
     * @param dir       read or write
     * @param df        direction flag: addresses decrease
     * @param dataIsPtr rep string I/O through a guest buffer at {@code data}
     * @param data      the value written, or the buffer address
     */
    record Io(boolean mmio, long addr, int size, long count, IoDirection dir, boolean df, boolean dataIsPtr,
              long data) implements GuestOp {
        public Io {
            Objects.requireNonNull(dir, "dir");
        }

        public static Io pioRead(long port, int size) {
            return new Io(false, port, size, 1, IoDirection.READ, false, false, 0);
        }

        public static Io pioWrite(long port, int size, long value) {
            return new Io(false, port, size, 1, IoDirection.WRITE, false, false, value);
        }

        public static Io mmioRead(long addr, int size) {
            return new Io(true, addr, size, 1, IoDirection.READ, false, false, 0);
        }

        public static Io mmioWrite(long addr, int size, long value) {
            return new Io(true, addr, size, 1, IoDirection.WRITE, false, false, value);
        }

        public boolean isRead() {
            return dir == IoDirection.READ;
        }
    }

    /** Guest work between accesses, in nanoseconds of (virtual or real) time. */
    record Think(long nanos) implements GuestOp {
    }

    /** The guest sets its RTC: a non-zero offset makes Xen broadcast a buffered TIMEOFFSET request. */
    record SetRtcOffset(long offsetSeconds) implements GuestOp {
    }

    /**
     * A {@code XENMEM_decrease_reservation} hypercall: on its exit Xen broadcasts a synchronous
     * INVALIDATE request and the vCPU waits for every enabled server.
     */
    record DecreaseReservation() implements GuestOp {
    }

    /**
     * {@code HYPERVISOR_sched_op(SCHEDOP_shutdown, {reason})}: {@code do_sched_op} calls
     * {@code domain_shutdown(current->domain, reason)} (SHUTDOWN_poweroff 0, reboot 1, suspend 2, crash 3,
     * watchdog 4, soft_reset 5); the calling vCPU is paused for the shutdown unless it defers it.
     */
    record SchedOpShutdown(int reason) implements GuestOp {
    }
}
