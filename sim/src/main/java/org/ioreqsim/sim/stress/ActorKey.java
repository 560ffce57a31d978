package org.ioreqsim.sim.stress;

/**
 * What an actor key of a stress world names: the hypervisor, a domain, one of its vCPUs, an emulator
 * (an {@code IoreqServer} actor) of a client lane, or anything else (lanes, the world, Akka).
 *
 * @param kind  the kind
 * @param domid the domain (domain, vCPU), or the target domain of an emulator or lane; -1 otherwise
 * @param vcpu  the vCPU id, or -1
 */
public record ActorKey(Kind kind, int domid, int vcpu) {

    public enum Kind {
        HYPERVISOR, DOMAIN, VCPU, EMULATOR, LANE, OTHER
    }

    /** Parses a key such as {@code xen/domain-1/vcpu-0}, {@code xen/domain-1/vcpu-0-2} or {@code d1-c0/qemu-2}. */
    public static ActorKey parse(String key) {
        try {
            if (key.equals("xen")) {
                return new ActorKey(Kind.HYPERVISOR, -1, -1);
            }
            if (key.startsWith("xen/domain-")) {
                String rest = key.substring("xen/domain-".length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    return new ActorKey(Kind.DOMAIN, Integer.parseInt(rest), -1);
                }
                int domid = Integer.parseInt(rest.substring(0, slash));
                String child = rest.substring(slash + 1);
                if (child.startsWith("vcpu-") && child.indexOf('/') < 0) {
                    String id = child.substring(5);
                    int dash = id.indexOf('-');
                    return new ActorKey(Kind.VCPU, domid, Integer.parseInt(dash < 0 ? id : id.substring(0, dash)));
                }
                return new ActorKey(Kind.OTHER, domid, -1);
            }
            if (key.startsWith("d") && key.indexOf('-') > 1) {
                int domid = Integer.parseInt(key.substring(1, key.indexOf('-')));
                Kind kind = key.contains("/qemu-") || key.contains("-emu") ? Kind.EMULATOR : Kind.LANE;
                return new ActorKey(kind, domid, -1);
            }
        } catch (NumberFormatException e) {
            // not one of ours
        }
        return new ActorKey(Kind.OTHER, -1, -1);
    }
}
