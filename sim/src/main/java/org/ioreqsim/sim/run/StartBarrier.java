package org.ioreqsim.sim.run;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.sim.SimulationException;

/**
 * Listens to emulators starting up: completes with their Started facts once {@code expected} have
 * started, or exceptionally on the first StartFailed. Later events (failures during the run) are kept.
 */
final class StartBarrier {
    private StartBarrier() {
    }

    static Behavior<EmulatorEvent> create(int expected, CompletableFuture<List<EmulatorEvent.Started>> started,
                                          List<EmulatorEvent> later) {
        List<EmulatorEvent.Started> seen = new ArrayList<>();
        return Behaviors.receive(EmulatorEvent.class)
                .onMessage(EmulatorEvent.Started.class, s -> {
                    seen.add(s);
                    if (seen.size() == expected) {
                        started.complete(List.copyOf(seen));
                    }
                    return Behaviors.same();
                })
                .onMessage(EmulatorEvent.StartFailed.class, f -> {
                    started.completeExceptionally(new SimulationException("emulator for domain " + f.targetDomid()
                            + " failed to start at " + f.step() + ": " + f.errno().describe()));
                    return Behaviors.same();
                })
                .onAnyMessage(e -> {
                    synchronized (later) {
                        later.add(e);
                    }
                    return Behaviors.same();
                })
                .build();
    }
}
