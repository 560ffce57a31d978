package org.ioreqsim.sim.exec;

import java.util.concurrent.TimeUnit;

/**
 * How many vCPU workloads are still running. Unlike a latch it can grow: a vCPU added during the run
 * starts a workload too. The run ends when it reaches zero.
 */
public final class VcpuCountdown {
    private long running;

    public synchronized void started() {
        running++;
    }

    public synchronized void finished() {
        if (--running == 0) {
            notifyAll();
        }
    }

    public synchronized long running() {
        return running;
    }

    /** Waits up to {@code timeout} for every workload to finish; true if they have. */
    public synchronized boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long until = System.nanoTime() + unit.toNanos(timeout);
        while (running > 0) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
