package org.ioreqsim.sim.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Cancellable;
import akka.event.NoLogging$;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

class VirtualTimeSchedulerTest {
    private final VirtualTimeScheduler clock = new VirtualTimeScheduler(ConfigFactory.empty(), NoLogging$.MODULE$,
            Thread::new);
    private final List<String> ran = new ArrayList<>();

    private Cancellable at(long ms, String name) {
        return clock.scheduleOnce(FiniteDuration.create(ms, TimeUnit.MILLISECONDS), () -> ran.add(name),
                ExecutionContext.global());
    }

    @Test
    void timersDueTogetherRunInSchedulingOrder() {
        for (int i = 0; i < 50; i++) {
            at(100, "t" + i);
        }
        assertTrue(clock.advanceToNextTimer());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("t" + i);
        }
        assertEquals(expected, ran, "ties are broken by scheduling order, not by hash order");
    }

    @Test
    void timeMovesOnlyToTheNextDueTimer() {
        at(300, "late");
        at(100, "early");
        long before = clock.currentTimeMs();
        assertEquals(before + 100, clock.nextDueMs());
        assertTrue(clock.advanceToNextTimer());
        assertEquals(List.of("early"), ran);
        assertEquals(before + 100, clock.currentTimeMs());
        assertTrue(clock.advanceToNextTimer());
        assertEquals(List.of("early", "late"), ran);
        assertFalse(clock.advanceToNextTimer(), "nothing left");
    }

    @Test
    void cancelledTimersNeverRunAndResetCancelsTheRest() {
        Cancellable c = at(50, "cancelled");
        at(60, "left");
        assertTrue(c.cancel());
        assertFalse(c.cancel());
        assertEquals(1, clock.pendingTimers());
        assertEquals(1, clock.reset());
        assertFalse(clock.advanceToNextTimer());
        assertEquals(List.of(), ran);
    }

    @Test
    void aTimerDueNowRunsAtOnce() {
        at(0, "now");
        assertEquals(List.of("now"), ran);
    }
}
