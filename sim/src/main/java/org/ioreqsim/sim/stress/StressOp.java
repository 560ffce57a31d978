package org.ioreqsim.sim.stress;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;
import org.ioreqsim.vcpu.GuestOp;

/**
 * One operation of a stress {@link Program}, performed by one lane: an emulator client (a device
 * model process driving one ioreq server through the {@code IoreqServer} actor and raw hypercalls),
 * a domain's toolstack, or a guest vCPU.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = StressOp.Start.class, name = "start"),
    @JsonSubTypes.Type(value = StressOp.Map.class, name = "map"),
    @JsonSubTypes.Type(value = StressOp.Unmap.class, name = "unmap"),
    @JsonSubTypes.Type(value = StressOp.SetState.class, name = "set_state"),
    @JsonSubTypes.Type(value = StressOp.GetInfo.class, name = "get_info"),
    @JsonSubTypes.Type(value = StressOp.Acquire.class, name = "acquire_resource"),
    @JsonSubTypes.Type(value = StressOp.Destroy.class, name = "destroy"),
    @JsonSubTypes.Type(value = StressOp.Crash.class, name = "crash"),
    @JsonSubTypes.Type(value = StressOp.Bind.class, name = "bind"),
    @JsonSubTypes.Type(value = StressOp.Misbehave.class, name = "misbehave"),
    @JsonSubTypes.Type(value = StressOp.RawSetState.class, name = "raw_set_state"),
    @JsonSubTypes.Type(value = StressOp.RawDestroy.class, name = "raw_destroy"),
    @JsonSubTypes.Type(value = StressOp.Pause.class, name = "pause"),
    @JsonSubTypes.Type(value = StressOp.Unpause.class, name = "unpause"),
    @JsonSubTypes.Type(value = StressOp.AddVcpu.class, name = "add_vcpu"),
    @JsonSubTypes.Type(value = StressOp.RemoveVcpu.class, name = "remove_vcpu"),
    @JsonSubTypes.Type(value = StressOp.SetParam.class, name = "set_param"),
    @JsonSubTypes.Type(value = StressOp.GetParam.class, name = "get_param"),
    @JsonSubTypes.Type(value = StressOp.DestroyDomain.class, name = "destroy_domain"),
    @JsonSubTypes.Type(value = StressOp.Guest.class, name = "guest")})
public sealed interface StressOp {

    /** Lifecycle operations (create, destroy, enable, disable, map, unmap), for coverage and strategies. */
    @JsonIgnore
    default boolean isLifecycle() {
        return false;
    }

    /**
     * Client: start a QEMU-like emulator for a new server (create, map its pages, read the bufioreq
     * port, optionally enable, bind every vCPU's port, register its devices' ranges).
     *
     * @param bufioreq      handle_bufioreq mode, 0..2
     * @param resource      map pages with acquire_resource (else get_info gfns)
     * @param enable        enable during start-up
     * @param manual        requests wait for the client's Take and Respond (else the emulator's devices answer)
     * @param devices       bit mask over {@link StressDevices#REGISTRATIONS} of what the emulator registers
     * @param answerDelayMs virtual time a manual client holds a request INPROCESS before answering it
     */
    record Start(int bufioreq, boolean resource, boolean enable, boolean manual, int devices, int answerDelayMs)
            implements StressOp {
        @Override
        public boolean isLifecycle() {
            return true;
        }
    }

    /** Client: map_io_range through the emulator. */
    record Map(int type, long start, long end) implements StressOp {
        @Override
        public boolean isLifecycle() {
            return true;
        }
    }

    /** Client: unmap_io_range through the emulator. */
    record Unmap(int type, long start, long end) implements StressOp {
        @Override
        public boolean isLifecycle() {
            return true;
        }
    }

    /** Client: set_ioreq_server_state through the emulator (VM run / stop). */
    record SetState(boolean enabled) implements StressOp {
        @Override
        public boolean isLifecycle() {
            return true;
        }
    }

    /** Client: a raw get_ioreq_server_info on its server; flags 0 maps gfns. */
    record GetInfo(int flags) implements StressOp {
    }

    /** Client: a raw acquire_resource of its server's frames. */
    record Acquire(int frame, int nrFrames) implements StressOp {
    }

    /** Client: the emulator exits (destroy_ioreq_server, then its ports close). */
    record Destroy() implements StressOp {
        @Override
        public boolean isLifecycle() {
            return true;
        }
    }

    /** Client: the emulator process dies (its event channels close; the server stays). */
    record Crash() implements StressOp {
    }

    /**
     * Client: its emulator breaks the protocol on vCPU {@code vcpu}'s slot ({@link StressFeature#BAD_EMULATOR}):
     * {@code respond} writes {@code value} and IORESP_READY whether or not it took a request (spec 7.2);
     * {@code slot-state} writes state {@code value} (0..15) into the slot; {@code notify} sends on the
     * vCPU's port without touching the slot; {@code vp-eport} writes {@code value} as the slot's vp_eport.
     */
    record Misbehave(String act, int vcpu, long value) implements StressOp {
        public static final List<String> ACTS = List.of("respond", "slot-state", "notify", "vp-eport");

        public Misbehave {
            Objects.requireNonNull(act, "act");
        }
    }

    /** Client: bind the ports of vCPUs that are not bound yet (after hotplug). */
    record Bind() implements StressOp {
    }

    /** Client or toolstack (dom0): a raw set_ioreq_server_state on any server id (another's, or none). */
    record RawSetState(int id, boolean enabled) implements StressOp {
        @Override
        public boolean isLifecycle() {
            return true;
        }
    }

    /** Client or toolstack (dom0): a raw destroy_ioreq_server on any server id. */
    record RawDestroy(int id) implements StressOp {
        @Override
        public boolean isLifecycle() {
            return true;
        }
    }

    /** Toolstack: pause the domain (answers once no vCPU runs guest code). */
    record Pause() implements StressOp {
    }

    /** Toolstack: drop its pause. */
    record Unpause() implements StressOp {
    }

    /** Toolstack: bring up the next vCPU (hvm_vcpu_initialise) and start it. */
    record AddVcpu() implements StressOp {
    }

    /** Toolstack: remove a vCPU (hvm_vcpu_destroy). */
    record RemoveVcpu(int vcpu) implements StressOp {
    }

    /** Toolstack (dom0): HVMOP_set_param. */
    record SetParam(int index, long value) implements StressOp {
    }

    /** Toolstack (dom0): HVMOP_get_param. */
    record GetParam(int index) implements StressOp {
    }

    /** Toolstack: destroy the domain (domain_kill). */
    record DestroyDomain() implements StressOp {
    }

    /** vCPU: one guest operation. */
    record Guest(GuestOp guest) implements StressOp {
        public Guest {
            Objects.requireNonNull(guest, "guest");
        }
    }
}
