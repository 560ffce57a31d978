package org.ioreqsim.sim.script;

import akka.actor.typed.ActorRef;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.sim.exec.Inbox;

/**
 * Steps a domain takes on its own behalf: event-channel hypercalls by any domain ({@code EVTCHNOP_send},
 * {@code EVTCHNOP_close}, {@code EVTCHNOP_bind_interdomain}, and the receiver's consume and unmask),
 * and the toolstack's {@code domain_kill} stopped at its preemption. The ports a script binds this way
 * are its own: their deliveries are listed as {@code ~ event D port=P} and nothing is consumed or
 * unmasked unless the script says so.
 */
final class GuestSteps {
    /** SCHEDOP_shutdown reasons (public/sched.h SHUTDOWN_*), by name. */
    static final List<String> SHUTDOWN_REASONS = List.of("poweroff", "reboot", "suspend", "crash", "watchdog",
            "soft_reset");

    private final Map<Integer, Inbox<Integer>> deliveries = new TreeMap<>();
    private final Map<Integer, ActorRef<Integer>> deliveryRefs = new TreeMap<>();

    Out run(ScriptRunner run, Step s) {
        int d = ScriptRunner.dom(s.pos(0));
        switch (s.verb()) {
            case "evtchn send":
                return Out.of(run.host().send(d, port(s, 1)));
            case "evtchn close":
                return Out.of(run.host().close(d, port(s, 1)));
            case "evtchn bind": {
                ActorRef<Integer> ref = deliveryRef(run, d);
                Result<Integer> r = run.host().bindInterdomain(d, ScriptRunner.dom(s.pos(1)), port(s, 2),
                        p -> new EventChannelConsumer<>(ref, p));
                return r.isOk() ? Out.ok().put("local_port", r.value()) : Out.of(r);
            }
            case "evtchn consume":
                run.host().consume(d, port(s, 1));
                return Out.ok();
            case "evtchn unmask":
                run.host().unmask(d, port(s, 1));
                return Out.ok();
            case "domain kill":
                run.runtime().ask(run.domain(d), (ActorRef<akka.Done> r) -> new Domain.KillPreempted(r));
                return Out.ok().put("state", run.domainSnapshot(d).state());
            default:
                throw new IllegalStateException(s.verb());
        }
    }

    /** {@code SHUTDOWN_*} by name or number. */
    static int shutdownReason(String v) {
        int i = SHUTDOWN_REASONS.indexOf(v.toLowerCase(Locale.ROOT));
        return i >= 0 ? i : (int) Numbers.parse(v);
    }

    /** The deliveries to ports the script bound, since the last step. */
    void collect(List<String> events) {
        deliveries.forEach((d, inbox) -> {
            Integer p;
            while ((p = inbox.poll()) != null) {
                events.add("event " + d + " port=" + p);
            }
        });
    }

    private ActorRef<Integer> deliveryRef(ScriptRunner run, int d) {
        return deliveryRefs.computeIfAbsent(d, k -> {
            Inbox<Integer> inbox = new Inbox<>();
            deliveries.put(k, inbox);
            return run.runtime().spawn(inbox.behavior(), "script-ports-" + k);
        });
    }

    private static int port(Step s, int i) {
        return (int) Numbers.parse(s.pos(i));
    }
}
