package org.ioreqsim.ioreq.hypercall;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The payload of one dm_op (public/hvm/dm_op.h), every field including the pad bytes, so that a
 * caller can send exactly what a device model could. Field widths follow the ABI (u8, u16, u32, u64);
 * values outside a field's width cannot be expressed in Xen's ABI and are refused by input parsers.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DmOp.CreateIoreqServer.class, name = "create_ioreq_server"),
    @JsonSubTypes.Type(value = DmOp.GetIoreqServerInfo.class, name = "get_ioreq_server_info"),
    @JsonSubTypes.Type(value = DmOp.MapIoRangeToIoreqServer.class, name = "map_io_range_to_ioreq_server"),
    @JsonSubTypes.Type(value = DmOp.UnmapIoRangeFromIoreqServer.class, name = "unmap_io_range_from_ioreq_server"),
    @JsonSubTypes.Type(value = DmOp.SetIoreqServerState.class, name = "set_ioreq_server_state"),
    @JsonSubTypes.Type(value = DmOp.DestroyIoreqServer.class, name = "destroy_ioreq_server"),
    @JsonSubTypes.Type(value = DmOp.MapMemTypeToIoreqServer.class, name = "map_mem_type_to_ioreq_server"),
    @JsonSubTypes.Type(value = DmOp.SetMemType.class, name = "set_mem_type"),
    @JsonSubTypes.Type(value = DmOp.Other.class, name = "other")})
public sealed interface DmOp {

    /** {@code XEN_DMOP_*} number. */
    long op();

    /** {@code op_size[op]}: bytes of the payload after the 8-byte header (0 for undefined ops). */
    default int payloadSize() {
        return payloadSize(op());
    }

    /** XEN_DMOP_create_ioreq_server (1): {@code {u8 handle_bufioreq, u8 pad[3], u16 id (out)}}. */
    record CreateIoreqServer(int handleBufioreq, int pad0, int pad1, int pad2) implements DmOp {
        public CreateIoreqServer(int handleBufioreq) {
            this(handleBufioreq, 0, 0, 0);
        }

        @Override
        public long op() {
            return 1;
        }
    }

    /**
     * XEN_DMOP_get_ioreq_server_info (2): {@code {u16 id, u16 flags, u32 bufioreq_port, u64 ioreq_gfn,
     * u64 bufioreq_gfn}}. The out fields carry the caller's input values; Xen overwrites only those it sets.
     */
    record GetIoreqServerInfo(int id, int flags, long bufioreqPort, long ioreqGfn, long bufioreqGfn)
            implements DmOp {
        public GetIoreqServerInfo(int id, int flags) {
            this(id, flags, 0, 0, 0);
        }

        @Override
        public long op() {
            return 2;
        }
    }

    /** XEN_DMOP_map_io_range_to_ioreq_server (3): {@code {u16 id, u16 pad, u32 type, u64 start, u64 end}}. */
    record MapIoRangeToIoreqServer(int id, int pad, long type, long start, long end) implements DmOp {
        public MapIoRangeToIoreqServer(int id, long type, long start, long end) {
            this(id, 0, type, start, end);
        }

        @Override
        public long op() {
            return 3;
        }
    }

    /** XEN_DMOP_unmap_io_range_from_ioreq_server (4): same payload as map. */
    record UnmapIoRangeFromIoreqServer(int id, int pad, long type, long start, long end) implements DmOp {
        public UnmapIoRangeFromIoreqServer(int id, long type, long start, long end) {
            this(id, 0, type, start, end);
        }

        @Override
        public long op() {
            return 4;
        }
    }

    /** XEN_DMOP_set_ioreq_server_state (5): {@code {u16 id, u8 enabled, u8 pad}}. */
    record SetIoreqServerState(int id, int enabled, int pad) implements DmOp {
        public SetIoreqServerState(int id, boolean enabled) {
            this(id, enabled ? 1 : 0, 0);
        }

        @Override
        public long op() {
            return 5;
        }
    }

    /** XEN_DMOP_destroy_ioreq_server (6): {@code {u16 id, u16 pad}}. */
    record DestroyIoreqServer(int id, int pad) implements DmOp {
        public DestroyIoreqServer(int id) {
            this(id, 0);
        }

        @Override
        public long op() {
            return 6;
        }
    }

    /** XEN_DMOP_map_mem_type_to_ioreq_server (15): {@code {u16 id, u16 type, u32 flags, u64 opaque}}. */
    record MapMemTypeToIoreqServer(int id, int type, long flags, long opaque) implements DmOp {
        @Override
        public long op() {
            return 15;
        }
    }

    /** XEN_DMOP_set_mem_type (12): {@code {u32 nr, u16 mem_type, u16 pad, u64 first_pfn}}. */
    record SetMemType(long nr, int memType, int pad, long firstPfn) implements DmOp {
        @Override
        public long op() {
            return 12;
        }
    }

    /**
     * Any other op number: the dm_ops ioreq-sim does not model (7..11, 13, 14, 16..18), op 0, and numbers beyond
     * the table. They pass through Xen's preamble with their real payload sizes.
     */
    record Other(long op) implements DmOp {
    }

    /** Sizes of {@code struct xen_dm_op_*}, indexed by op number (dm.c {@code op_size}). */
    int[] OP_SIZE = {0, 6, 24, 24, 24, 4, 4, 16, 6, 2, 2, 8, 16, 24, 16, 16, 4, 24, 24};

    static int payloadSize(long op) {
        return op >= 0 && op < OP_SIZE.length ? OP_SIZE[(int) op] : 0;
    }

    /** The {@code XEN_DMOP_*} name of an op number. */
    static String name(long op) {
        return switch ((int) Math.min(op, Integer.MAX_VALUE)) {
            case 1 -> "create_ioreq_server";
            case 2 -> "get_ioreq_server_info";
            case 3 -> "map_io_range_to_ioreq_server";
            case 4 -> "unmap_io_range_from_ioreq_server";
            case 5 -> "set_ioreq_server_state";
            case 6 -> "destroy_ioreq_server";
            case 7 -> "track_dirty_vram";
            case 8 -> "set_pci_intx_level";
            case 9 -> "set_isa_irq_level";
            case 10 -> "set_pci_link_route";
            case 11 -> "modified_memory";
            case 12 -> "set_mem_type";
            case 13 -> "inject_event";
            case 14 -> "inject_msi";
            case 15 -> "map_mem_type_to_ioreq_server";
            case 16 -> "remote_shutdown";
            case 17 -> "relocate_memory";
            case 18 -> "pin_memory_cacheattr";
            default -> "op " + op;
        };
    }
}
