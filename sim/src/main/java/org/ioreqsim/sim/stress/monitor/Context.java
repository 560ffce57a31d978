package org.ioreqsim.sim.stress.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.domain.XenInspections;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.ActorKey;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;

/**
 * What all checkers share: the run's options, the sink, the shadows of Xen's state, and the step being
 * judged (which actor ran, with which message, and the model events it caused). {@link Checkers} writes
 * the step; the checkers read it.
 */
final class Context {
    final XenOptions options;
    /** Xen's state is read between steps (controlled execution); otherwise only events and reports count. */
    final boolean direct;
    final Sink sink;
    final Map<Integer, DomainShadow> domains = new TreeMap<>();
    Host host;
    ActorKey actor = new ActorKey(ActorKey.Kind.OTHER, -1, -1);
    /** The name of the actor that ran ({@link #actor} parsed), e.g. {@code d1-c0/qemu-1}. */
    String actorName = "";
    Object message;
    /** Every vCPU of the actor's domain had acknowledged a pause before the step. */
    boolean pausedBefore;
    final List<ModelEvent> stepEvents = new ArrayList<>();

    Context(XenOptions options, boolean direct, Sink sink) {
        this.options = options;
        this.direct = direct;
        this.sink = sink;
    }

    int step() {
        return sink.step();
    }

    /** The shadow of domain {@code domid}, made on first use (with Xen's state if the domain has published it). */
    DomainShadow domain(int domid) {
        DomainShadow d = domains.computeIfAbsent(domid, DomainShadow::new);
        if (d.x == null && host != null) {
            d.x = XenInspections.on(host).get(domid);
            d.table = host.eventChannels(domid);
        }
        return d;
    }

    /** The server table as the spec sees it: enabled flags from Xen, ranges from the monitors' own sets. */
    RoutingOracle.Table table(DomainShadow d) {
        return new RoutingOracle.Table() {
            @Override
            public boolean enabled(int id) {
                ServerView s = d.x.server(id);
                return s != null && s.enabled() && d.servers[id] != null;
            }

            @Override
            public boolean isDefault(int id) {
                ServerView s = d.x.server(id);
                return s != null && s.isDefault();
            }

            @Override
            public boolean contains(int id, RangeType type, long start, long end) {
                ServerShadow s = d.servers[id];
                return s != null && s.ranges[type.code()].containsInOne(start, end);
            }
        };
    }

    /** Whether {@code other} is the same server or shares its synchronous page (H14: one gfn, two servers). */
    static boolean samePage(DomainShadow d, ServerShadow ss, int other) {
        ServerShadow o = other >= 0 && other < d.servers.length ? d.servers[other] : null;
        return other == ss.id || (o != null && o.page != null && o.page == ss.page);
    }

    boolean sentThisStep(DomainShadow d, ServerShadow ss, int vcpu) {
        for (ModelEvent e : stepEvents) {
            if (e instanceof ModelEvent.IoreqSent s && s.domid() == d.domid && s.vcpu() == vcpu
                    && samePage(d, ss, s.serverId())) {
                return true;
            }
        }
        return false;
    }

    boolean completedThisStep(DomainShadow d, ServerShadow ss, int vcpu) {
        for (ModelEvent e : stepEvents) {
            if (e instanceof ModelEvent.IoreqCompleted c && c.domid() == d.domid && c.vcpu() == vcpu
                    && c.stateSeen() == IoreqState.IORESP_READY && samePage(d, ss, c.serverId())) {
                return true;
            }
        }
        return false;
    }

    boolean faultedThisStep() {
        for (ModelEvent e : stepEvents) {
            if (e instanceof ModelEvent.HypervisorFault) {
                return true;
            }
        }
        return false;
    }

    static boolean stateChangedThisStep(DomainShadow d, ServerShadow ss) {
        for (ServerShadow o : d.servers) {
            // (H14 may make one server's buffered page another's synchronous page: its enable clears it too)
            if (o != null && o.stateChangedThisStep && (o == ss || (o.page != null && o.page == ss.page)
                    || (o.bufPage != null && o.bufPage == ss.page))) {
                return true;
            }
        }
        return ss.page != null && d.pagesResetThisStep.contains(ss.page);
    }

    static boolean anyPageDropped(DomainShadow d) {
        for (ServerShadow s : d.servers) {
            if (s != null && s.pageDropped) {
                return true;
            }
        }
        return false;
    }

    static boolean anyEmulatorMisbehaved(DomainShadow d) {
        for (ServerShadow s : d.servers) {
            if (s != null) {
                for (boolean b : s.emulatorMisbehaved) {
                    if (b) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static String describeRanges(List<long[]> ranges) {
        StringBuilder sb = new StringBuilder("{");
        for (long[] r : ranges) {
            sb.append(sb.length() > 1 ? ", " : "").append("[0x").append(Long.toHexString(r[0])).append(", 0x")
                    .append(Long.toHexString(r[1])).append(']');
        }
        return sb.append('}').toString();
    }

    static String describe(Ioreq p) {
        return p.type() + " " + (p.isRead() ? "read" : "write") + " 0x" + Long.toHexString(p.addr()) + "/" + p.size();
    }
}
