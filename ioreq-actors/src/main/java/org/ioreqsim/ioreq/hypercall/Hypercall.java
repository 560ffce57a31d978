package org.ioreqsim.ioreq.hypercall;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * The hypercalls of the ioreq subsystem that go through the hypervisor's domain table: dm_op,
 * XENMEM_acquire_resource and HVMOP_{set,get}_param. The caller's domain is given beside the call.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "hypercall")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Hypercall.DmOpHypercall.class, name = "dm_op"),
    @JsonSubTypes.Type(value = Hypercall.AcquireResource.class, name = "acquire_resource"),
    @JsonSubTypes.Type(value = Hypercall.SetParam.class, name = "set_param"),
    @JsonSubTypes.Type(value = Hypercall.GetParam.class, name = "get_param")})
public sealed interface Hypercall {

    /** {@code HYPERVISOR_dm_op(domid, ...)}; {@code domid} is the target. */
    record DmOpHypercall(long domid, DmOpCall call) implements Hypercall {
        public DmOpHypercall {
            Objects.requireNonNull(call, "call");
        }

        public static DmOpHypercall of(long domid, DmOp op) {
            return new DmOpHypercall(domid, DmOpCall.of(op));
        }
    }

    /**
     * {@code XENMEM_acquire_resource} for {@code XENMEM_resource_ioreq_server}: map {@code nrFrames}
     * frames of server {@code id} starting at {@code frame}.
     *
     * @param frameListNull the caller passed no frame list (asks for the maximum frame count)
     */
    record AcquireResource(long domid, long type, long id, long frame, long nrFrames, long flags,
                           boolean frameListNull) implements Hypercall {
        /** A well-formed request for ioreq server frames. */
        public static AcquireResource ioreqServer(long domid, int id, long frame, long nrFrames) {
            return new AcquireResource(domid, 0, id, frame, nrFrames, 0, false);
        }
    }

    /** {@code HVMOP_set_param}. {@code domid} may be DOMID_SELF. */
    record SetParam(long domid, long index, long value) implements Hypercall {
    }

    /** {@code HVMOP_get_param}. {@code domid} may be DOMID_SELF. */
    record GetParam(long domid, long index) implements Hypercall {
    }
}
