package org.ioreqsim.sim.stress.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.ActorKey;
import org.ioreqsim.sim.stress.RaceScenario;
import org.ioreqsim.sim.stress.Violation;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;

/**
 * One checker (or a few) on its own: a context with no host, a router, and hand-made steps and events.
 * Events go to the registered checkers exactly as {@link Checkers} hands them over.
 */
final class Fixture {
    final Sink sink;
    final Context ctx;
    final EventRouter router = new EventRouter();

    Fixture(XenOptions options, boolean direct) {
        sink = new Sink(options);
        ctx = new Context(options, direct, sink);
    }

    static Fixture events() {
        return new Fixture(XenOptions.SEED, false);
    }

    static Fixture direct() {
        return new Fixture(XenOptions.SEED, true);
    }

    <C extends Checker> C add(C checker) {
        checker.register(router);
        return checker;
    }

    /** A step of actor {@code key} (e.g. {@code xen/domain-1}, {@code xen/domain-1/vcpu-0}) with message {@code msg}. */
    Fixture step(int index, String key, Object msg) {
        sink.step(index);
        ctx.actor = ActorKey.parse(key);
        ctx.message = msg;
        ctx.stepEvents.clear();
        return this;
    }

    Fixture event(ModelEvent e) {
        ctx.stepEvents.add(e);
        router.dispatch(ctx.domain(e.domid()), e);
        return this;
    }

    DomainShadow domain(int domid) {
        return ctx.domain(domid);
    }

    /** A server the monitors know of, in slot {@code id} of {@code domid}, run by {@code emulatorDomid}. */
    ServerShadow server(int domid, int id, int emulatorDomid) {
        DomainShadow d = ctx.domain(domid);
        ServerShadow ss = new ServerShadow(id, ++d.generation, emulatorDomid);
        d.servers[id] = ss;
        return ss;
    }

    List<String> rules() {
        List<String> out = new ArrayList<>();
        for (Violation v : sink.violations()) {
            out.add(v.rule());
        }
        return out;
    }

    Set<String> findings() {
        return sink.findings().keySet();
    }

    Set<RaceScenario> coverage() {
        return sink.coverage();
    }

    static Ioreq pio(long port, int size, IoDirection dir) {
        return Ioreq.guest(false, port, size, 1, dir, false, false, 0);
    }
}
