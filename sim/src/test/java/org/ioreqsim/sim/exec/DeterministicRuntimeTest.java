package org.ioreqsim.sim.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterministicRuntimeTest {

    record Ping(int n, ActorRef<Integer> replyTo) {
    }

    static Behavior<Ping> echo() {
        return Behaviors.receive((ctx, m) -> {
            m.replyTo().tell(m.n() + 1);
            return Behaviors.same();
        });
    }

    @Test
    void messagesRunOnlyWhenDrainedAndAnswersAreExact() {
        try (DeterministicRuntime rt = new DeterministicRuntime("t")) {
            ActorRef<Ping> e = rt.spawn(echo(), "echo");
            int answer = rt.ask(e, (ActorRef<Integer> r) -> new Ping(41, r));
            assertEquals(42, answer);
        }
    }

    @Test
    void timersFireOnlyWhenVirtualTimeAdvances() {
        List<String> seen = new ArrayList<>();
        try (DeterministicRuntime rt = new DeterministicRuntime("t")) {
            rt.spawn(Behaviors.<String>withTimers(t -> {
                t.startSingleTimer("tick", Duration.ofMillis(100));
                return Behaviors.receiveMessage(m -> {
                    seen.add(m);
                    return Behaviors.same();
                });
            }), "timer");
            rt.advance(Duration.ofMillis(90));
            assertEquals(List.of(), seen);
            rt.advance(Duration.ofMillis(20));
            assertEquals(List.of("tick"), seen);
        }
    }

    @Test
    void aTimerSetByATimerFiresWithinTheSameAdvanceAtItsOwnTime() {
        List<String> seen = new ArrayList<>();
        try (DeterministicRuntime rt = new DeterministicRuntime("t")) {
            rt.spawn(Behaviors.<String>withTimers(t -> {
                t.startSingleTimer("first", Duration.ofMillis(50));
                return Behaviors.receiveMessage(m -> {
                    seen.add(m + "@" + rt.nowMillis());
                    if (m.equals("first")) {
                        t.startSingleTimer("second", Duration.ofMillis(30));
                    }
                    return Behaviors.same();
                });
            }), "chain");
            rt.advance(Duration.ofMillis(100));
            assertEquals(List.of("first@50", "second@80"), seen);
            assertEquals(100, rt.nowMillis());
        }
    }
}
