package org.ioreqsim.sim.testkit;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.domain.ServerSelector;
import org.ioreqsim.domain.XenInspector;
import org.ioreqsim.domain.XenInspections;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.sim.exec.ControlledSystem;
import org.ioreqsim.sim.exec.Spawner;
import org.ioreqsim.sim.machine.XenMachine;
import org.ioreqsim.sim.stress.Driver;
import org.ioreqsim.sim.stress.Finding;
import org.ioreqsim.sim.stress.Monitor;
import org.ioreqsim.sim.stress.Program;
import org.ioreqsim.sim.stress.RaceScenario;
import org.ioreqsim.sim.stress.Strategy;
import org.ioreqsim.sim.stress.Violation;

/**
 * A hand-written scenario under controlled execution: a hypervisor with dom0, guests the test creates,
 * {@link EmulatorProbe probes} standing in for emulators, and the stress monitors watching every step.
 * Whatever the test asks comes back as a {@link Pending}; asking only sends a message, and the
 * scenario's strategy decides how the resulting steps interleave with everything else in flight.
 *
 * <pre>{@code
 * try (Testbed s = harness.testbed(1, new Pct(3, true), XenOptions.SEED)) {
 *     DomainHandle d = s.createDomain(2);
 *     EmulatorProbe qemu = s.emulator(d);
 *     int id = qemu.createServer(BufioreqMode.OFF).get().value();
 *     qemu.acquirePages(id).get();
 *     qemu.setState(id, true).get();
 *     qemu.bind(0).get();
 *     qemu.map(id, RangeType.PORT, 0x1000, 0x1007).get();
 *     Pending<Outcome> read = d.run(0, GuestOp.Io.pioRead(0x1000, 1));
 *     s.runUntil(() -> qemu.pendingRequests().contains(0));
 *     qemu.take(0).get();
 *     qemu.destroy(id).get();           // destroy while the request is INPROCESS
 *     s.runUntilQuiescent();
 *     s.checkLiveness();
 *     assertTrue(s.findings().containsKey("H1"));
 *     s.assertNoViolations();
 * }
 * }</pre>
 */
public final class Testbed implements AutoCloseable {
    private static final int MAX_STEPS = 200_000;

    /** The scenario world's protocol. */
    sealed interface Cmd {
    }

    /** Ask {@code target} with a fresh reply actor that completes {@code pending}. */
    record Ask(ActorRef<Object> target, Function<ActorRef<Object>, Object> build, Pending<Object> pending)
            implements Cmd {
    }

    /** Spawn an emulator probe. */
    record SpawnProbe(String name, Behavior<EmulatorProbe.Msg> behavior, Pending<ActorRef<EmulatorProbe.Msg>> pending)
            implements Cmd {
    }

    private final ControlledSystem system;
    private final XenOptions options;
    private final Host host;
    private final Monitor monitor;
    private final QueueWorkloads workloads;
    private final Driver driver;
    private ActorRef<HypervisorMessage> xen;
    private ActorRef<Cmd> world;
    private int probes;
    private boolean closed;

    Testbed(ControlledSystem system, long seed, Strategy strategy, XenOptions options, ServerSelector selector) {
        this.system = system;
        this.options = options;
        this.monitor = new Monitor(options, true);
        this.host = new Host(monitor);
        monitor.attach(host);
        this.workloads = new QueueWorkloads(monitor);
        strategy.start(seed, new Program(List.of(), Program.FaultRates.NONE, List.of()));
        system.startWorld(world(selector));
        this.driver = Driver.create(system, monitor, strategy);
        if (!runUntil(() -> xen != null)) {
            throw new IllegalStateException("the scenario's hypervisor never started");
        }
    }

    private Behavior<Cmd> world(ServerSelector selector) {
        return Behaviors.setup(ctx -> {
            world = ctx.getSelf();
            xen = XenMachine.start(Spawner.of(ctx), host, options, workloads, selector).xen();
            int[] replies = {0};
            return Behaviors.receive(Cmd.class)
                    .onMessage(Ask.class, m -> {
                        ActorRef<Object> reply = ctx.spawn(Behaviors.receive(Object.class).onAnyMessage(r -> {
                            m.pending().complete(r);
                            return Behaviors.stopped();
                        }).build(), "reply-" + (++replies[0]));
                        m.target().tell(m.build().apply(reply));
                        return Behaviors.same();
                    })
                    .onMessage(SpawnProbe.class, m -> {
                        m.pending().complete(ctx.spawn(m.behavior(), m.name()));
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** Creates a guest with {@code vcpus} vCPUs and the scenario's options. */
    public DomainHandle createDomain(int vcpus) {
        return createDomain(DomainConfig.guest("guest", vcpus, options));
    }

    /** Creates a guest (runs until the hypervisor has answered). */
    public DomainHandle createDomain(DomainConfig cfg) {
        Hypervisor.DomainCreated c = (Hypervisor.DomainCreated) ask(xen, r -> new Hypervisor.CreateDomain(cfg, -1,
                narrow(r)), "create domain").get();
        if (!c.domid().isOk()) {
            throw new IllegalStateException("creating the domain failed: " + c.domid().describe());
        }
        return new DomainHandle(this, c.domid().value(), c.domain(), workloads);
    }

    /** A probe in dom0 standing in for an emulator of {@code target}. */
    public EmulatorProbe emulator(DomainHandle target) {
        return emulator(target, 0);
    }

    /** A probe in domain {@code emulatorDomid} (dom0, or a stub domain) standing in for an emulator of {@code target}. */
    public EmulatorProbe emulator(DomainHandle target, int emulatorDomid) {
        String name = "d" + target.domid() + "-emu" + (++probes);
        EmulatorProbe probe = new EmulatorProbe(this, name, target.domid(), emulatorDomid, host, monitor);
        Pending<ActorRef<EmulatorProbe.Msg>> p = new Pending<>(this, "spawn " + name);
        world.tell(new SpawnProbe(name, probe.behavior(xen), p));
        probe.attach(p.get());
        return probe;
    }

    /** Runs steps until {@code done} holds; false if the run went quiescent first. */
    public boolean runUntil(BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            if (driver.steps() >= MAX_STEPS || !driver.step()) {
                return done.getAsBoolean();
            }
        }
        return true;
    }

    /** Runs until nothing can run and no timer is due. */
    public void runUntilQuiescent() {
        while (driver.steps() < MAX_STEPS && driver.step()) {
            // keep going
        }
    }

    /** Runs at most {@code n} steps; false if the run went quiescent first. */
    public boolean runSteps(int n) {
        for (int i = 0; i < n; i++) {
            if (!driver.step()) {
                return false;
            }
        }
        return true;
    }

    /** Steps run so far. */
    public int steps() {
        return driver.steps();
    }

    /** The digest of the run so far: the same seed, strategy and test code give the same digest. */
    public String digest() {
        return driver.digest();
    }

    /** The keys of the actors run so far, in order. */
    public List<String> decisions() {
        return driver.decisions();
    }

    /** Checks liveness now (run it once quiescent): every blocked vCPU must be blocked for a reason the spec gives. */
    public void checkLiveness() {
        monitor.atQuiescence(Map.of());
    }

    public List<Violation> violations() {
        return monitor.violations();
    }

    /** Hazards reached, by name. */
    public Map<String, Finding> findings() {
        return monitor.findings();
    }

    public Set<RaceScenario> coverage() {
        return monitor.coverage();
    }

    /** Throws an {@link AssertionError} listing the violations, if any. */
    public void assertNoViolations() {
        if (!monitor.violations().isEmpty()) {
            throw new AssertionError("the monitors found " + monitor.violations().size() + " violation(s): "
                    + monitor.violations());
        }
    }

    /** Xen's state of domain {@code domid} (read-only). */
    XenInspector inspector(int domid) {
        return XenInspections.on(host).get(domid);
    }

    /** The hypervisor actor. */
    public ActorRef<HypervisorMessage> hypervisor() {
        return xen;
    }

    Pending<Object> ask(ActorRef<?> target, Function<ActorRef<Object>, Object> build, String what) {
        Pending<Object> p = new Pending<>(this, what);
        world.tell(new Ask(narrow(target), build, p));
        return p;
    }

    @SuppressWarnings("unchecked")
    static <T> ActorRef<T> narrow(ActorRef<?> r) {
        return (ActorRef<T>) r;
    }

    /** Stops the scenario's world (its actors stop; nothing more is judged). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            monitor.close();
            driver.stopWorld();
        }
    }
}
