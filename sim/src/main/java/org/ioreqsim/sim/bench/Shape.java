package org.ioreqsim.sim.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A closed-loop shape: {@code routers} domains, each with {@code clientsPerRouter} vCPUs and one
 * server. {@code name} is the shape as the issue asks for it; when the model cannot hold that many
 * vCPUs in one domain (HVM_MAX_VCPUS = 128: one shared ioreq page has 128 slots) the shape is run as
 * the nearest split with the same vCPU count, and both the raw bound and the simulator run that split.
 *
 * @param name             e.g. {@code 1x1000}
 * @param askedRouters     domains the issue names
 * @param askedClients     vCPUs per domain the issue names
 * @param routers          domains actually run
 * @param clientsPerRouter vCPUs per domain actually run
 */
public record Shape(String name, int askedRouters, int askedClients, int routers, int clientsPerRouter) {

    /** The model's limit on vCPUs per domain. */
    public static final int MAX_VCPUS_PER_DOMAIN = 125;

    /** {@code domains x vcpus}, split into domains of at most 125 vCPUs when it has to be. */
    public static Shape of(int domains, int vcpus) {
        String name = domains + "x" + vcpus;
        if (vcpus <= 128) {
            return new Shape(name, domains, vcpus, domains, vcpus);
        }
        long total = (long) domains * vcpus;
        int per = MAX_VCPUS_PER_DOMAIN;
        while (total % per != 0) {
            per--;
        }
        return new Shape(name, domains, vcpus, (int) (total / per), per);
    }

    public long totalClients() {
        return (long) routers * clientsPerRouter;
    }

    /** Whether the run differs from what was asked. */
    public boolean split() {
        return routers != askedRouters;
    }

    /** The shape as figures report it. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", name);
        m.put("domains", routers);
        m.put("vcpusPerDomain", clientsPerRouter);
        m.put("serversPerDomain", 1);
        if (split()) {
            m.put("note", "run as " + routers + "x" + clientsPerRouter + ": the model holds at most 128 vCPUs"
                    + " per domain (one 4 KiB shared ioreq page); the raw bound runs the same split");
        }
        return m;
    }
}
