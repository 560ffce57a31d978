package org.ioreqsim.sim.run;

import akka.Done;
import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.DomainSnapshot;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.EmulatorStats;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.sim.SimulationException;
import org.ioreqsim.sim.exec.RunActors;
import org.ioreqsim.sim.machine.XenMachine;
import org.ioreqsim.sim.scenario.ScenarioEvent;

/**
 * Fires a scenario's lifecycle events during a run, as a toolstack and the device models would: server
 * operations go through the server's emulator when it has one (QEMU issues the dm_op), else straight
 * to Xen from the emulator's domain, so Xen answers what it answers (-ENOENT for a server that is
 * gone). Every event's result is kept for the report, with Xen's error code.
 */
final class LifecycleEvents {
    /** What one event did: when it fired, what it was, its target, and Xen's answer (or that it never fired). */
    record Fired(Double atSeconds, String trigger, String action, int domain, String target, String result,
                 boolean reached) {
    }

    private final RunActors actors;
    private final XenMachine machine;
    private final ActorRef<HypervisorMessage> xen;
    private final List<Guest> guests;
    private final List<EmulatorEvent> emulatorEvents;
    private final List<Fired> results = new ArrayList<>();
    private final List<EmulatorStats> retiredEmulators = new ArrayList<>();
    private final List<DomainSnapshot> destroyedDomains = new ArrayList<>();
    private long seq;
    private int created;

    LifecycleEvents(RunActors actors, XenMachine machine, List<Guest> guests,
                    List<EmulatorEvent> emulatorEvents) {
        this.actors = actors;
        this.machine = machine;
        this.xen = machine.xen();
        this.guests = guests;
        this.emulatorEvents = emulatorEvents;
    }

    List<Fired> results() {
        return List.copyOf(results);
    }

    /** The last figures of emulators that exited during the run. */
    List<EmulatorStats> retiredEmulators() {
        return List.copyOf(retiredEmulators);
    }

    /** Domains as they were just before the run destroyed them. */
    List<DomainSnapshot> destroyedDomains() {
        return List.copyOf(destroyedDomains);
    }

    /** Events the run never got to: every vCPU had finished first. */
    void notReached(List<ScenarioEvent> events) {
        for (ScenarioEvent e : events) {
            results.add(new Fired(null, e.trigger(), name(e), e.domain(), target(e),
                    "not reached (the run ended first)", false));
        }
    }

    void fire(ScenarioEvent e, double atSeconds) {
        results.add(new Fired(Math.round(atSeconds * 1000) / 1000.0, e.trigger(), name(e), e.domain(), target(e),
                execute(e), true));
    }

    private String execute(ScenarioEvent e) {
        Guest g = guests.get(e.domain() - 1);
        ActorRef<IoreqServer.Command> emulator = e.action() == ScenarioEvent.Action.CREATE_SERVER ? null
                : g.emulators.get(e.server());
        switch (e.action()) {
            case CREATE_SERVER:
                return createServer(g, e.server());
            case DESTROY_SERVER:
                if (emulator == null) {
                    return dmOp(g, new DmOp.DestroyIoreqServer(e.server()));
                }
                g.emulators.remove(e.server());
                String destroyed = actors.ask(emulator, (ActorRef<Result<HypercallOutput>> r) ->
                        new IoreqServer.Destroy(r)).describe();
                // after the destroy, so that the figures include every request it served
                retiredEmulators.add(actors.ask(emulator, IoreqServer.GetStats::new));
                return destroyed;
            case ENABLE_SERVER:
            case DISABLE_SERVER:
                boolean on = e.action() == ScenarioEvent.Action.ENABLE_SERVER;
                return emulator == null ? dmOp(g, new DmOp.SetIoreqServerState(e.server(), on))
                        : actors.ask(emulator, (ActorRef<Result<HypercallOutput>> r) -> new IoreqServer.SetEnabled(on, r))
                        .describe();
            case MAP:
            case UNMAP:
                return mapOrUnmap(g, emulator, e);
            case CRASH_EMULATOR:
                if (emulator == null) {
                    return "no emulator serves server-" + g.domid + "-" + e.server();
                }
                g.emulators.remove(e.server());
                g.crashed.add(e.server());
                retiredEmulators.add(actors.ask(emulator, IoreqServer.CrashWithStats::new));
                return "0";
            default:
                return domainEvent(g, e);
        }
    }

    private String domainEvent(Guest g, ScenarioEvent e) {
        if (g.destroyed) {
            return "-3 ESRCH";
        }
        switch (e.action()) {
            case ADD_VCPU: {
                Result<Integer> id = actors.ask(g.ref, Domain.AddVcpu::new);
                if (!id.isOk()) {
                    return id.describe();
                }
                StringBuilder out = new StringBuilder("0 (vcpu " + id.value() + ")");
                g.emulators.forEach((server, em) -> bind(em, id.value(), server, out));
                g.ref.tell(Domain.StartVcpus.INSTANCE);
                return out.toString();
            }
            case REMOVE_VCPU:
                return actors.ask(g.ref, (ActorRef<Result<Integer>> r) -> new Domain.RemoveVcpu(e.vcpu(), r)).describe();
            case PAUSE_DOMAIN:
                actors.ask(g.ref, (ActorRef<Done> r) -> new Domain.Pause(r));
                return "0";
            case UNPAUSE_DOMAIN:
                return actors.ask(g.ref, Domain.Unpause::new).describe();
            case DESTROY_DOMAIN: {
                DomainSnapshot last = actors.ask(g.ref, Domain.Inspect::new);
                Result<Long> rc = actors.ask(xen, (ActorRef<Result<Long>> r) -> new Hypervisor.DestroyDomain(g.domid, r));
                if (rc.isOk()) {
                    g.destroyed = true;
                    destroyedDomains.add(last);
                }
                return rc.describe();
            }
            default:
                throw new IllegalStateException("unhandled event " + e.action());
        }
    }

    /** A new QEMU-like emulator for {@code guest}, with the devices of the group's server {@code index}. */
    private String createServer(Guest g, int index) {
        if (index >= g.group.servers().size()) {
            return "the domain's group has no server " + index + " to start";
        }
        CompletableFuture<List<EmulatorEvent.Started>> started = new CompletableFuture<>();
        int n = ++created;
        ActorRef<EmulatorEvent> barrier = actors.spawn(StartBarrier.create(1, started, emulatorEvents),
                "emulators-event-" + n);
        ActorRef<IoreqServer.Command> e = machine.spawnEmulator(g.emulatorConfig(index), barrier);
        e.tell(IoreqServer.Start.INSTANCE);
        try {
            int id = actors.await(started).get(0).serverId();
            g.emulators.put(id, e);
            StringBuilder out = new StringBuilder("0 (server-" + g.domid + "-" + id + ")");
            // QEMU binds the port of every vCPU the guest has; the start-up sequence bound the first ones.
            if (!g.destroyed) {
                for (int v : actors.ask(g.ref, Domain.Inspect::new).vcpuIds()) {
                    if (v >= g.group.vcpus()) {
                        bind(e, v, id, out);
                    }
                }
            }
            return out.toString();
        } catch (SimulationException failed) {
            return failed.getMessage();
        }
    }

    /** The emulator binds vCPU {@code v}'s port of its server; a failure is appended to {@code out}. */
    private void bind(ActorRef<IoreqServer.Command> emulator, int v, int server, StringBuilder out) {
        Result<Integer> bound = actors.ask(emulator, (ActorRef<Result<Integer>> r) -> new IoreqServer.BindVcpu(v, r));
        if (!bound.isOk()) {
            out.append("; server ").append(server).append(" binding vcpu ").append(v).append(": ")
                    .append(bound.describe());
        }
    }

    private String mapOrUnmap(Guest g, ActorRef<IoreqServer.Command> emulator, ScenarioEvent e) {
        RangeType type = RangeType.values()[e.type()];
        boolean map = e.action() == ScenarioEvent.Action.MAP;
        if (emulator == null) {
            return dmOp(g, map ? new DmOp.MapIoRangeToIoreqServer(e.server(), e.type(), e.start(), e.end())
                    : new DmOp.UnmapIoRangeFromIoreqServer(e.server(), e.type(), e.start(), e.end()));
        }
        return actors.ask(emulator, (ActorRef<Result<HypercallOutput>> r) -> map
                ? new IoreqServer.MapRange(type, e.start(), e.end(), r)
                : new IoreqServer.UnmapRange(type, e.start(), e.end(), r)).describe();
    }

    /** A dm_op from the guest's device-model domain, straight to Xen. */
    private String dmOp(Guest g, DmOp op) {
        long n = ++seq;
        HypercallResult r = actors.ask(xen, (ActorRef<HypercallResult> reply) -> new HypercallRequest(g.emulatorDomid,
                Hypercall.DmOpHypercall.of(g.domid, op), n, reply));
        return r.result().describe();
    }

    private static String name(ScenarioEvent e) {
        return e.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String target(ScenarioEvent e) {
        return switch (e.action()) {
            case CREATE_SERVER -> "d" + e.domain() + " server spec " + e.server();
            case DESTROY_SERVER, ENABLE_SERVER, DISABLE_SERVER, CRASH_EMULATOR -> "server-" + e.domain() + "-" + e.server();
            case MAP, UNMAP -> String.format("server-%d-%d %s 0x%x-0x%x", e.domain(), e.server(),
                    RangeType.values()[e.type()].name().toLowerCase(java.util.Locale.ROOT), e.start(), e.end());
            case REMOVE_VCPU -> "d" + e.domain() + "v" + e.vcpu();
            default -> "d" + e.domain();
        };
    }
}
