package org.ioreqsim.sim.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fair executor's run queue: FIFO whether a taker finds work at once, while spinning, or parked. */
class SpinningRunQueueTest {

    @Test
    void takersGetMailboxRunsInTheOrderTheyWereQueued() throws InterruptedException {
        SpinningRunQueue q = new SpinningRunQueue(TimeUnit.MICROSECONDS.toNanos(50));
        List<Runnable> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Runnable r = () -> { };
            runs.add(r);
            q.offer(r);
        }
        for (Runnable r : runs) {
            assertSame(r, q.take());
        }
    }

    @Test
    void aTakerThatRanOutOfWorkGetsWhatIsQueuedLaterWithOrWithoutSpinning() throws Exception {
        for (long spin : new long[] {0, TimeUnit.MILLISECONDS.toNanos(1)}) {
            SpinningRunQueue q = new SpinningRunQueue(spin);
            Runnable r = () -> { };
            CompletableFuture<Runnable> taken = CompletableFuture.supplyAsync(() -> {
                try {
                    return q.take();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> new Thread(runnable, "taker").start());
            q.offer(r);
            assertSame(r, taken.get(30, TimeUnit.SECONDS), "spin " + spin + " ns");
            assertEquals(0, q.size());
        }
    }

    @Test
    void aTimedPollOfAnEmptyQueueSpinsThenTimesOut() throws InterruptedException {
        SpinningRunQueue q = new SpinningRunQueue(TimeUnit.MICROSECONDS.toNanos(50));
        assertNull(q.poll(1, TimeUnit.MILLISECONDS));
    }
}
