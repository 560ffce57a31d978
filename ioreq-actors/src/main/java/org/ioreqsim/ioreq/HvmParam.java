package org.ioreqsim.ioreq;

/** HVM parameter indices (public/hvm/params.h) and the rules the seed applies to them. */
public final class HvmParam {
    public static final int CALLBACK_IRQ = 0;
    public static final int STORE_PFN = 1;
    public static final int STORE_EVTCHN = 2;
    public static final int PAE_ENABLED = 4;
    public static final int IOREQ_PFN = 5;
    public static final int BUFIOREQ_PFN = 6;
    public static final int VIRIDIAN = 9;
    public static final int TIMER_MODE = 10;
    public static final int HPET_ENABLED = 11;
    public static final int IDENT_PT = 12;
    public static final int DM_DOMAIN = 13;
    public static final int ACPI_S_STATE = 14;
    public static final int VM86_TSS = 15;
    public static final int VPT_ALIGN = 16;
    public static final int CONSOLE_PFN = 17;
    public static final int CONSOLE_EVTCHN = 18;
    public static final int ACPI_IOPORTS_LOCATION = 19;
    public static final int MEMORY_EVENT_CR0 = 20;
    public static final int MEMORY_EVENT_CR3 = 21;
    public static final int MEMORY_EVENT_CR4 = 22;
    public static final int MEMORY_EVENT_INT3 = 23;
    public static final int NESTEDHVM = 24;
    public static final int MEMORY_EVENT_SINGLE_STEP = 25;
    public static final int BUFIOREQ_EVTCHN = 26;
    public static final int PAGING_RING_PFN = 27;
    public static final int MONITOR_RING_PFN = 28;
    public static final int SHARING_RING_PFN = 29;
    public static final int MEMORY_EVENT_MSR = 30;
    public static final int TRIPLE_FAULT_REASON = 31;
    public static final int IOREQ_SERVER_PFN = 32;
    public static final int NR_IOREQ_SERVER_PAGES = 33;
    public static final int VM_GENERATION_ID_ADDR = 34;
    public static final int ALTP2M = 35;
    public static final int X87_FIP_WIDTH = 36;
    public static final int VM86_TSS_SIZED = 37;
    public static final int MCA_CAP = 38;
    /** {@code HVM_NR_PARAMS}: indices at or above it answer -EINVAL. */
    public static final int NR_PARAMS = 39;

    private static final String[] NAMES = new String[NR_PARAMS];

    static {
        for (java.lang.reflect.Field f : HvmParam.class.getFields()) {
            if (f.getType() == int.class && !f.getName().equals("NR_PARAMS")) {
                try {
                    NAMES[f.getInt(null)] = f.getName();
                } catch (IllegalAccessException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
        }
    }

    private HvmParam() {
    }

    /** {@code "IOREQ_SERVER_PFN"} or {@code "param 3"} for indices without a name. */
    public static String name(long index) {
        if (index >= 0 && index < NR_PARAMS && NAMES[(int) index] != null) {
            return NAMES[(int) index];
        }
        return "param " + index;
    }

    /** Parses a name (with or without {@code HVM_PARAM_}) or a number. */
    public static long parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        if (t.startsWith("HVM_PARAM_")) {
            t = t.substring("HVM_PARAM_".length());
        }
        for (int i = 0; i < NR_PARAMS; i++) {
            if (t.equals(NAMES[i])) {
                return i;
            }
        }
        return Long.decode(text.trim());
    }
}
