package org.ioreqsim.sim.stress;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops a step that never ends. Under controlled execution one thread runs every actor, so a model
 * that loops forever inside one message (a ring consumer that never catches up with the write
 * pointer, say) would hang the whole campaign. The watchdog looks at the driver every 100 ms; once
 * the same step has used more than the limit of the driver thread's CPU time (wall-clock time where
 * the JVM cannot measure CPU time), it stops the driver thread with {@link Thread#stop()}, the only
 * way to end a runaway computation in Java 17, and the runner reports the hang as a violation and
 * rebuilds its actor system. CPU time makes the verdict independent of machine load and garbage
 * collection: a normal step uses microseconds, an endless loop reaches the limit on any machine, and a
 * step that ends is never touched, so the watchdog does not affect determinism.
 */
final class StepWatchdog implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long limitNanos;
    private final Thread thread;
    private final Object lock = new Object();
    private final boolean cpuTime;
    private volatile boolean closed;
    private long stepNo;
    private boolean stepping;
    private String key;
    private Thread driver;
    private boolean fired;
    // the watchdog's own view, touched only by its thread
    private long seenStep = -1;
    private long seenAt;

    StepWatchdog(String name, long limit, TimeUnit unit) {
        this.limitNanos = unit.toNanos(limit);
        this.cpuTime = THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        this.thread = new Thread(this::watch, name + "-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    void begin(String stepKey) {
        synchronized (lock) {
            key = stepKey;
            driver = Thread.currentThread();
            stepNo++;
            stepping = true;
        }
    }

    void end() {
        synchronized (lock) {
            stepping = false;
        }
    }

    /** The key of the actor whose step was stopped, or null (and forgets it). */
    String takeFired() {
        synchronized (lock) {
            String k = fired ? key : null;
            fired = false;
            return k;
        }
    }

    private long clock(Thread t) {
        if (cpuTime) {
            long ns = THREADS.getThreadCpuTime(t.getId());
            if (ns >= 0) {
                return ns;
            }
        }
        return System.nanoTime();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void watch() {
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            synchronized (lock) {
                if (!stepping || fired) {
                    seenStep = -1;
                    continue;
                }
                if (seenStep != stepNo) {
                    seenStep = stepNo;
                    seenAt = clock(driver);
                } else if (clock(driver) - seenAt > limitNanos) {
                    fired = true;
                    stepping = false;
                    seenStep = -1;
                    driver.stop();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
