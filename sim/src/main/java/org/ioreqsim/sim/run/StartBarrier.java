package org.ioreqsim.sim.run;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
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
        // The actor's props keep this behaviour for the whole run: once the facts are handed over, neither
        // they nor the future stay reachable from it (each Started holds a map of every vCPU's port).
        AtomicReference<CompletableFuture<List<EmulatorEvent.Started>>> waiting = new AtomicReference<>(started);
        return Behaviors.receive(EmulatorEvent.class)
                .onMessage(EmulatorEvent.Started.class, s -> {
                    CompletableFuture<List<EmulatorEvent.Started>> w = waiting.get();
                    if (w != null) {
                        seen.add(s);
                        if (seen.size() == expected) {
                            w.complete(List.copyOf(seen));
                            waiting.set(null);
                            seen.clear();
                        }
                    }
                    return Behaviors.same();
                })
                .onMessage(EmulatorEvent.StartFailed.class, f -> {
                    CompletableFuture<List<EmulatorEvent.Started>> w = waiting.get();
                    if (w != null) {
                        w.completeExceptionally(new SimulationException("emulator for domain " + f.targetDomid()
                                + " failed to start at " + f.step() + ": " + f.errno().describe()));
                    }
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
