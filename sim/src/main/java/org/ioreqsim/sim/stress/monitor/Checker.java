package org.ioreqsim.sim.stress.monitor;

import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.stress.RaceScenario;

/**
 * One family of the spec's rules: it receives the model events and reports it registers for
 * ({@link #register}), keeps the state only it needs, and reports to the shared {@link Sink}.
 */
abstract class Checker {
    final Context ctx;
    final XenOptions options;
    final boolean direct;

    Checker(Context ctx) {
        this.ctx = ctx;
        this.options = ctx.options;
        this.direct = ctx.direct;
    }

    /** Registers this checker's model-event handlers. */
    abstract void register(EventRouter router);

    void violation(String rule, String detail) {
        ctx.sink.violation(rule, detail);
    }

    void finding(String name, String detail) {
        ctx.sink.finding(name, detail);
    }

    void cover(RaceScenario s) {
        ctx.sink.cover(s);
    }
}
