package org.ioreqsim.sim.exec;

import akka.actor.Cancellable;
import akka.event.LoggingAdapter;
import akka.testkit.ExplicitlyTriggeredScheduler;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Akka's {@link ExplicitlyTriggeredScheduler} as the virtual clock of a controlled actor system
 * ({@code akka.scheduler.implementation}), with the two changes a deterministic driver needs.
 *
 * <ul>
 *   <li>Ties are broken by scheduling order. The base class keeps its tasks in a hash map whose keys
 *   hash by the identity of the task, and runs tasks due at the same millisecond in the map's order,
 *   which differs from run to run. Here every task is wrapped in a {@link Timer} numbered in
 *   scheduling order; when the base class "runs" a wrapper it only collects it, and the collected
 *   tasks then run sorted by number.</li>
 *   <li>Time moves only when the driver says so, to the next due task ({@link #advanceToNextTimer()}),
 *   through the base class's {@code executeTasks}; the base class's {@code timePasses} sleeps 100 ms
 *   of real time first to let real dispatchers settle, which a controlled system does not need.</li>
 * </ul>
 *
 * Everything else (cancellation, periodic re-arming, the clock) is the base class's.
 */
public final class VirtualTimeScheduler extends ExplicitlyTriggeredScheduler {

    /** One scheduled task, numbered in scheduling order. */
    private final class Timer implements Runnable, Cancellable {
        final long seq;
        final Runnable task;
        final long intervalMs;
        long dueMs;
        Cancellable base;
        boolean cancelled;
        boolean done;

        Timer(long seq, Runnable task, long dueMs, long intervalMs) {
            this.seq = seq;
            this.task = task;
            this.dueMs = dueMs;
            this.intervalMs = intervalMs;
        }

        /** The base class runs a due task: remember it; {@link #runFired()} runs it in order. */
        @Override
        public void run() {
            fired.add(this);
        }

        @Override
        public boolean cancel() {
            if (cancelled || done) {
                return false;
            }
            cancelled = true;
            pending.remove(seq);
            return base == null || base.cancel();
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq);
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }
    }

    private final TreeMap<Long, Timer> pending = new TreeMap<>();
    private final List<Timer> fired = new ArrayList<>();
    private long seq;
    private long fires;

    public VirtualTimeScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
        super(config, log, threadFactory);
    }

    @Override
    public synchronized Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
        Timer t = new Timer(++seq, runnable, currentTimeMs() + Math.max(0, delay.toMillis()), -1);
        pending.put(t.seq, t);
        t.base = super.scheduleOnce(delay, t, executor);
        runFired();
        return t;
    }

    @Override
    public synchronized Cancellable schedule(FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable,
                                             ExecutionContext executor) {
        Timer t = new Timer(++seq, runnable, currentTimeMs() + Math.max(0, initialDelay.toMillis()),
                Math.max(1, interval.toMillis()));
        pending.put(t.seq, t);
        t.base = super.schedule(initialDelay, interval, t, executor);
        runFired();
        return t;
    }

    /** Tasks scheduled and not yet run or cancelled. */
    public synchronized int pendingTimers() {
        return pending.size();
    }

    /** Timers that have fired since creation. */
    public synchronized long fires() {
        return fires;
    }

    /** When the next task is due (virtual milliseconds), or -1 if none is scheduled. */
    public synchronized long nextDueMs() {
        long due = Long.MAX_VALUE;
        for (Timer t : pending.values()) {
            due = Math.min(due, t.dueMs);
        }
        return due == Long.MAX_VALUE ? -1 : due;
    }

    /**
     * Moves the clock to the next due task and runs every task due then, in scheduling order.
     * Returns false, leaving the clock alone, if nothing is scheduled.
     */
    public synchronized boolean advanceToNextTimer() {
        long due = nextDueMs();
        if (due < 0) {
            return false;
        }
        executeTasks(due);
        runFired();
        return true;
    }

    /**
     * Moves the clock to {@code ms} (never backwards) and runs every task due by then, in scheduling
     * order; tasks they schedule that fall due by {@code ms} run too.
     */
    public synchronized void advanceClockTo(long ms) {
        long now = currentTimeMs();
        if (ms > now) {
            // the base class moves its clock only to the time of a task it runs (or in timePasses, after a
            // real 100 ms sleep): a no-op task at the target, outside the numbering, takes it there
            super.scheduleOnce(FiniteDuration.create(ms - now, TimeUnit.MILLISECONDS), () -> { },
                    scala.concurrent.ExecutionContext.parasitic$.MODULE$);
            executeTasks(ms);
            runFired();
        }
    }

    /** Cancels every scheduled task and restarts the numbering (between two schedules). */
    public synchronized int reset() {
        int left = pending.size();
        for (Timer t : new ArrayList<>(pending.values())) {
            t.cancel();
        }
        pending.clear();
        seq = 0;
        return left;
    }

    private void runFired() {
        while (!fired.isEmpty()) {
            List<Timer> due = new ArrayList<>(fired);
            fired.clear();
            due.sort(Comparator.comparingLong(t -> t.seq));
            for (Timer t : due) {
                if (t.cancelled) {
                    continue;
                }
                if (t.intervalMs < 0) {
                    pending.remove(t.seq);
                    t.done = true;
                } else {
                    t.dueMs += t.intervalMs;
                }
                fires++;
                t.task.run();
            }
        }
    }
}
