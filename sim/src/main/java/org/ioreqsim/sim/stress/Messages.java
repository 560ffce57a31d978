package org.ioreqsim.sim.stress;

import java.util.regex.Pattern;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;

/** How steps name the messages they deliver, in traces and digests. */
final class Messages {
    private static final Pattern REF_UID = Pattern.compile("#-?[0-9]+\\]");
    private static final Pattern SYSTEM = Pattern.compile("akka://[^/\\]]+");
    private static final Pattern HASH = Pattern.compile("@[0-9a-f]{4,}");

    private Messages() {
    }

    /** The message's kind: its class, with the dm_op or hypercall it carries. */
    static String kind(Object m) {
        if (m == null) {
            return "-";
        }
        if (m instanceof Domain.DmOpRequest r) {
            return DM_OP_KINDS.get(r.op().getClass());
        }
        if (m instanceof HypercallRequest r) {
            Hypercall c = r.call();
            return HYPERCALL_KINDS.get(c instanceof Hypercall.DmOpHypercall d ? d.call().op().getClass() : c.getClass());
        }
        return KINDS.get(m.getClass());
    }

    /** {@code DmOpRequest(<op>)}, built once per op class (the driver asks at every step). */
    private static final ClassValue<String> DM_OP_KINDS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> c) {
            return "DmOpRequest(" + c.getSimpleName() + ")";
        }
    };

    /** {@code HypercallRequest(<call or dm_op>)}, built once per class. */
    private static final ClassValue<String> HYPERCALL_KINDS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> c) {
            return "HypercallRequest(" + c.getSimpleName() + ")";
        }
    };

    /** Class names are looked up once per class (reflection is slow on a hot path). */
    private static final ClassValue<String> KINDS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> c) {
            String n = c.getSimpleName();
            if (n.isEmpty()) {
                n = c.getName();
            }
            Class<?> outer = c.getEnclosingClass();
            return outer != null && !c.getName().startsWith("akka.") ? outer.getSimpleName() + "." + n : n;
        }
    };

    /** The whole message, with what differs from run to run (actor uids, the system's name, hashes) removed. */
    static String detail(Object m) {
        if (m == null) {
            return "-";
        }
        String s;
        try {
            s = String.valueOf(m);
        } catch (RuntimeException e) {
            s = kind(m);
        }
        s = REF_UID.matcher(s).replaceAll("]");
        s = SYSTEM.matcher(s).replaceAll("akka://sys");
        s = HASH.matcher(s).replaceAll("@_");
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    /**
     * A lifecycle message — create, destroy, set_state (enable, disable), map, unmap — at any of its
     * hops: the emulator command that starts it, the hypercall at the hypervisor, the dm_op at the
     * domain; and a domain's destruction.
     */
    static boolean isLifecycle(Object m) {
        if (m instanceof Domain.DmOpRequest r) {
            return isLifecycle(r.op());
        }
        if (m instanceof HypercallRequest r && r.call() instanceof Hypercall.DmOpHypercall d) {
            return isLifecycle(d.call().op());
        }
        return m instanceof IoreqServer.Destroy || m instanceof IoreqServer.SetEnabled
                || m instanceof IoreqServer.MapRange || m instanceof IoreqServer.UnmapRange
                || m == IoreqServer.Start.INSTANCE || m instanceof Hypervisor.DestroyDomain;
    }

    private static boolean isLifecycle(DmOp op) {
        return op instanceof DmOp.CreateIoreqServer || op instanceof DmOp.DestroyIoreqServer
                || op instanceof DmOp.SetIoreqServerState || op instanceof DmOp.MapIoRangeToIoreqServer
                || op instanceof DmOp.UnmapIoRangeFromIoreqServer;
    }
}
