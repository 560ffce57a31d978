package org.ioreqsim.sim.exec;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs nothing by itself: every task Akka submits (a mailbox run) waits in a FIFO
 * queue until the driving thread calls {@link #runNext()}. With mailbox throughput 1 each task is one
 * message delivered, so the driver fully owns the schedule.
 */
public final class QueueExecutor extends AbstractExecutorService {
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean shutdown;

    @Override
    public synchronized void execute(Runnable task) {
        queue.add(task);
    }

    /** Runs the oldest queued task; false if none was queued. */
    public boolean runNext() {
        Runnable r;
        synchronized (this) {
            r = queue.poll();
        }
        if (r == null) {
            return false;
        }
        r.run();
        return true;
    }

    public synchronized int pending() {
        return queue.size();
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = List.copyOf(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
