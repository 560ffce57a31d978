package org.ioreqsim.sim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights of the kinds of guest access a vCPU issues (relative, need not sum to anything).
 *
 * @param serialWrite    byte writes to the UART's transmit register (server, PIO)
 * @param serialStatus   reads of the UART's line status register (server, PIO)
 * @param pciConfig      a CF8 write then a CFC read of the PCI function's config space (server, PCI)
 * @param mmio           reads and writes of the function's MMIO BAR (server, MMIO)
 * @param vga            writes into the VGA window (buffered through stdvga when Xen emulates VGA)
 * @param unclaimed      reads of a port nobody claims (null handler)
 * @param extraServers   accesses to the devices of servers 1..n-1, when a domain has several
 */
public record Mix(int serialWrite, int serialStatus, int pciConfig, int mmio, int vga, int unclaimed,
                  int extraServers) {

    public static final Mix DEFAULT = new Mix(30, 10, 10, 20, 15, 10, 5);

    public Mix {
        int[] all = {serialWrite, serialStatus, pciConfig, mmio, vga, unclaimed, extraServers};
        int sum = 0;
        for (int w : all) {
            if (w < 0) {
                throw new IllegalArgumentException("mix weights must not be negative");
            }
            sum += w;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("mix weights must not all be zero");
        }
    }

    public int total() {
        return serialWrite + serialStatus + pciConfig + mmio + vga + unclaimed + extraServers;
    }

    public Map<String, Integer> asMap() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("serialWrite", serialWrite);
        m.put("serialStatus", serialStatus);
        m.put("pciConfig", pciConfig);
        m.put("mmio", mmio);
        m.put("vga", vga);
        m.put("unclaimed", unclaimed);
        m.put("extraServers", extraServers);
        return m;
    }

    /** Builds a mix from named weights; unknown names throw {@link IllegalArgumentException}. */
    public static Mix fromMap(Map<String, Integer> m) {
        Map<String, Integer> w = new LinkedHashMap<>(DEFAULT.asMap());
        w.replaceAll((k, v) -> 0);
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            if (!w.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown access kind '" + e.getKey() + "' (known: "
                        + String.join(", ", w.keySet()) + ")");
            }
            w.put(e.getKey(), e.getValue());
        }
        return new Mix(w.get("serialWrite"), w.get("serialStatus"), w.get("pciConfig"), w.get("mmio"), w.get("vga"),
                w.get("unclaimed"), w.get("extraServers"));
    }
}
