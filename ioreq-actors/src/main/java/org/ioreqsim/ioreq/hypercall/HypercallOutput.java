package org.ioreqsim.ioreq.hypercall;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What a successful hypercall copies back to its caller. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "output")
@JsonSubTypes({
    @JsonSubTypes.Type(value = HypercallOutput.None.class, name = "none"),
    @JsonSubTypes.Type(value = HypercallOutput.IoreqServerId.class, name = "ioreq_server_id"),
    @JsonSubTypes.Type(value = HypercallOutput.IoreqServerInfo.class, name = "ioreq_server_info"),
    @JsonSubTypes.Type(value = HypercallOutput.MemTypeOpaque.class, name = "mem_type_opaque"),
    @JsonSubTypes.Type(value = HypercallOutput.ResourceFrames.class, name = "resource_frames"),
    @JsonSubTypes.Type(value = HypercallOutput.ParamValue.class, name = "param_value")})
public sealed interface HypercallOutput {

    /** The op copies nothing back. */
    enum None implements HypercallOutput {
        INSTANCE
    }

    /** create_ioreq_server: the new server's id. */
    record IoreqServerId(int id) implements HypercallOutput {
    }

    /**
     * get_ioreq_server_info: the payload as copied back. Fields Xen does not write keep the caller's input.
     */
    record IoreqServerInfo(long bufioreqPort, long ioreqGfn, long bufioreqGfn) implements HypercallOutput {
    }

    /** map_mem_type_to_ioreq_server: the continuation cookie. */
    record MemTypeOpaque(long opaque) implements HypercallOutput {
    }

    /**
     * acquire_resource: the machine frames mapped, or with no frame list the maximum frame count.
     */
    record ResourceFrames(List<Long> mfns, long nrFrames) implements HypercallOutput {
        public ResourceFrames {
            mfns = List.copyOf(mfns);
        }
    }

    /** get_param: the value. */
    record ParamValue(long value) implements HypercallOutput {
    }
}
