package org.ioreqsim.ioreq;

/** Xen's constants for the ioreq subsystem (spec section 2). */
public final class Xen {
    /** Server slots per target domain. */
    public static final int MAX_NR_IOREQ_SERVERS = 8;
    /** Pre-seed only ({@code legacyDefaultServer}): the default server's slot. */
    public static final int DEFAULT_IOSERVID = 0;
    /** Pre-seed only: the gfns libxc's domain builder puts in HVM_PARAM_IOREQ_PFN and BUFIOREQ_PFN. */
    public static final long LIBXC_IOREQ_PFN = 0xFEFFD;
    public static final long LIBXC_BUFIOREQ_PFN = 0xFEFFB;
    /** Stored ranges per range type per server. */
    public static final int MAX_NR_IO_RANGES = 256;
    /** Slots of the buffered ring. */
    public static final int IOREQ_BUFFER_SLOT_NUM = 511;
    /** vCPU slots in one synchronous ioreq page (4096 / 32). */
    public static final int HVM_MAX_VCPUS = 128;
    public static final int DOMID_SELF = 0x7FF0;
    /** The privileged control domain. */
    public static final int DOM0 = 0;
    /** The highest defined dm_op ({@code pin_memory_cacheattr}); ops above it answer -EOPNOTSUPP. */
    public static final int DMOP_MAX = 18;
    /** Bit 0 of get_info {@code flags}: do not map gfns. */
    public static final int DMOP_NO_GFNS = 1;
    public static final int DMOP_IOREQ_MEM_ACCESS_READ = 1;
    public static final int DMOP_IOREQ_MEM_ACCESS_WRITE = 2;
    /** {@code HVMMEM_ioreq_server}. */
    public static final int HVMMEM_IOREQ_SERVER = 4;
    /** XENMEM_acquire_resource resource type of ioreq servers. */
    public static final int XENMEM_RESOURCE_IOREQ_SERVER = 0;
    /** XENMEM_acquire_resource resource type of a domain's grant table (id 0 shared, 1 status frames). */
    public static final int XENMEM_RESOURCE_GRANT_TABLE = 1;
    /** Resource frame 0: the buffered page; frame 1 + n: synchronous page n. */
    public static final int RESOURCE_FRAME_BUFIOREQ = 0;
    public static final int RESOURCE_FRAME_IOREQ = 1;
    /** Most frames one acquire_resource call may map. */
    public static final int ACQUIRE_RESOURCE_MAX_FRAMES = 32;
    /** The highest address a buffered slot can carry (20-bit field). */
    public static final long BUFIOREQ_ADDR_LIMIT = 0xFFFFFL;
    /** The VGA window whose single writes Xen's stdvga sends buffered. */
    public static final long VGA_WINDOW_START = 0xA0000L;
    public static final long VGA_WINDOW_END = 0xBFFFFL;
    public static final int PCI_CF8 = 0xCF8;
    public static final int PCI_CFC = 0xCFC;
    /** The sim's default per-domain highest event-channel port. */
    public static final int DEFAULT_MAX_EVTCHN_PORT = 1023;
    /** The 2-level ABI limit on 64-bit. */
    public static final int EVTCHN_2L_NR_CHANNELS = 4096;
    /** Invalid gfn marker ({@code INVALID_GFN}, all ones). */
    public static final long INVALID_GFN = ~0L;
    /** QEMU's BUFFER_IO_MAX_DELAY, milliseconds. */
    public static final long BUFFER_IO_MAX_DELAY_MS = 100;
    /** Guest frames are 4 KiB. */
    public static final int PAGE_SIZE = 4096;

    /** stdvga's sequencer index/data ports (0x3C4, 0x3C5), snooped by Xen and passed on. */
    public static final long VGA_SEQUENCER_PORT = 0x3C4;
    /** stdvga's graphics-controller index/data ports (0x3CE, 0x3CF), snooped by Xen and passed on. */
    public static final long VGA_GRAPHICS_PORT = 0x3CE;

    private Xen() {
    }
}
