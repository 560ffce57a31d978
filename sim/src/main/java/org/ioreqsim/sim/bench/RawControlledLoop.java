package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import org.ioreqsim.sim.exec.ControlledExecutor;
import org.ioreqsim.sim.exec.ControlledSystem;

/**
 * The limit of controlled mode: a plain Akka typed message loop on the same deterministic executor,
 * stepped the way a schedule is (the runnable keys, one picked, one mailbox run per step) but with no
 * model, no monitors, no digest and no strategy: two actors pass one message back and forth. Its steps/s
 * is what one driver thread can get out of Akka on the controlled executor; a schedule's steps/s divided
 * by it says how much of a step the model and the harness take.
 */
final class RawControlledLoop {
    private RawControlledLoop() {
    }

    private record Ball(int left, ActorRef<Ball> replyTo) {
    }

    private static Behavior<Ball> player() {
        return Behaviors.receive((ctx, b) -> {
            if (b.left() > 0) {
                b.replyTo().tell(new Ball(b.left() - 1, ctx.getSelf()));
            }
            return Behaviors.same();
        });
    }

    /** Runs {@code messages} steps of the loop on {@code system}; returns steps per second. */
    static double stepsPerSec(ControlledSystem system, int messages) {
        system.startWorld(Behaviors.<Object>setup(ctx -> {
            ActorRef<Ball> a = ctx.spawn(player(), "a");
            ActorRef<Ball> b = ctx.spawn(player(), "b");
            a.tell(new Ball(messages, b));
            return Behaviors.empty();
        }));
        ControlledExecutor executor = system.executor();
        List<String> enabled = new ArrayList<>();
        long steps = 0;
        long t0 = System.nanoTime();
        while (true) {
            executor.enabled(enabled);
            if (enabled.isEmpty()) {
                break;
            }
            executor.run(enabled.get(0));
            steps++;
        }
        long ns = System.nanoTime() - t0;
        system.stopWorld();
        return steps * 1e9 / Math.max(1, ns);
    }

    /** One system, a warm-up loop, then {@code runs} timed loops. */
    static List<Double> measure(int runs, int messages) {
        List<Double> out = new ArrayList<>();
        try (ControlledSystem system = new ControlledSystem("raw-loop")) {
            stepsPerSec(system, messages);
            for (int r = 0; r < runs; r++) {
                out.add(stepsPerSec(system, messages));
            }
        }
        return out;
    }
}
