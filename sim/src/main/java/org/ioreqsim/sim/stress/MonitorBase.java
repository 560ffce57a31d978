package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ioreqsim.domain.ServerView;
import org.ioreqsim.domain.XenInspections;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.Shadows.ServerShadow;
import org.ioreqsim.sim.stress.Shadows.VcpuShadow;

/**
 * What the stress monitors remember and how they report: the shadows of Xen's state, the results, the
 * step being judged. The checks themselves are in {@link StateChecks} (after every step),
 * {@link LivenessChecks} (at quiescence) and {@link Monitor} (the model's events and the lanes' reports).
 */
abstract class MonitorBase {

    final XenOptions options;
    final boolean direct;
    final Map<Integer, DomainShadow> domains = new TreeMap<>();
    final List<Violation> violations = new ArrayList<>();
    final Map<String, Finding> findings = new LinkedHashMap<>();
    final Map<String, Integer> findingCounts = new TreeMap<>();
    final EnumSet<RaceScenario> coverage = EnumSet.noneOf(RaceScenario.class);
    final Map<String, ActorKey> keys = new HashMap<>();
    final Map<String, Integer> lastVgaSeq = new HashMap<>();
    final Map<String, Object> lanesWaiting = new TreeMap<>();
    final Set<Integer> emulatorDomids = new TreeSet<>();
    final Map<String, ServerShadow> emulators = new HashMap<>();
    Host host;
    int step = -1;
    ActorKey actor = new ActorKey(ActorKey.Kind.OTHER, -1, -1);
    Object message;
    boolean pausedBefore;
    final List<ModelEvent> stepEvents = new ArrayList<>();
    boolean closed;
    boolean runaway;
    static final int MAX_VIOLATIONS = 1000;
    volatile long activity;
    int lanesFinished;
    int lostDeliveries;
    int duplicatedDeliveries;
    int delayedDeliveries;

    MonitorBase(XenOptions options, boolean direct) {
        this.options = options;
        this.direct = direct;
        emulatorDomids.add(Xen.DOM0);
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

    DomainShadow domain(int domid) {
        DomainShadow d = domains.computeIfAbsent(domid, DomainShadow::new);
        if (d.x == null && host != null) {
            d.x = XenInspections.on(host).get(domid);
            d.table = host.eventChannels(domid);
        }
        return d;
    }

    /**
     * Why a PIO emulation failed (domain crash) or an MMIO one injected #GP, or null if nothing the
     * spec allows explains it. Records the matching finding.
     */
    String explainEmulationFailure(DomainShadow d, int vcpu) {
        if (vcpu < 0) {
            return null;
        }
        VcpuShadow v = d.vcpu(vcpu);
        if (v.orphaned || v.staleLatch) {
            if (options.fixOrphanedCompletion()) {
                violation("H1-stale", "d" + d.domid + " vCPU " + vcpu + " failed its next emulation after being "
                        + "orphaned although fixOrphanedCompletion is on (f7039ee41b)");
            } else {
                finding("H1-stale", "d" + d.domid + " vCPU " + vcpu + " was woken after its server was destroyed "
                        + "and its stale latched request failed the next emulation");
            }
            return "H1-stale";
        }
        if (v.lastRefusalCause != null) {
            finding(v.lastRefusalCause, "d" + d.domid + " vCPU " + vcpu + ": send refused (" + v.lastRefusal
                    + ") and the guest access failed");
            if (v.lastRefusalCause.equals("H2") && options.fixAddVcpuCleanup() && !d.failedAdds.isEmpty()) {
                violation("H2", "d" + d.domid + " vCPU " + vcpu + " has no entry on a server after a failed vCPU "
                        + "creation although fixAddVcpuCleanup is on");
            }
            return v.lastRefusalCause;
        }
        return null;
    }

    String lastRefusal(DomainShadow d) {
        VcpuShadow v = actor.vcpu() >= 0 ? d.vcpus.get(actor.vcpu()) : null;
        return v == null || v.lastRefusal == null ? "none" : v.lastRefusal + " at server " + v.lastRefusalServer;
    }

    boolean anyPageDropped(DomainShadow d) {
        for (ServerShadow s : d.servers) {
            if (s != null && s.pageDropped) {
                return true;
            }
        }
        return false;
    }

    boolean anyEmulatorMisbehaved(DomainShadow d) {
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

    boolean stateChangedThisStep(DomainShadow d, ServerShadow ss) {
        for (ServerShadow o : d.servers) {
            if (o != null && o.stateChangedThisStep && (o == ss || (o.page != null && o.page == ss.page))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records a violation. Past {@link #MAX_VIOLATIONS} the model is running away (a loop inside one
     * step that breaks a rule on every turn): the monitors record that once and throw
     * {@link Runaway} out of the model's call, which ends the actor's step, and the schedule.
     */
    void violation(String rule, String detail) {
        if (closed) {
            return;
        }
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(new Violation(rule, detail, step));
            return;
        }
        if (!runaway) {
            runaway = true;
            violations.add(new Violation("harness.runaway", "more than " + MAX_VIOLATIONS
                    + " violations in one schedule; stopped the step that kept breaking rules", step));
        }
        throw new Runaway();
    }

    /** Thrown into the model when it keeps breaking rules without end. */
    static final class Runaway extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Runaway() {
            super("the model is running away", null, false, false);
        }
    }

    void finding(String name, String detail) {
        if (closed) {
            return;
        }
        Hazards.Hazard h = Hazards.ALL.get(name);
        if (h != null && h.fixedBy() != null && options.get(h.fixedBy())) {
            violation(name, detail + " although " + h.fixedBy() + " is on");
            return;
        }
        findings.putIfAbsent(name, new Finding(name, detail, step));
        findingCounts.merge(name, 1, Integer::sum);
    }

    void cover(RaceScenario s) {
        if (closed) {
            return;
        }
        coverage.add(s);
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
