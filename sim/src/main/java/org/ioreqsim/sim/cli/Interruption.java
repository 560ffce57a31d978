package org.ioreqsim.sim.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during a long command: instead of dying with nothing printed, the JVM's shutdown hook asks the
 * work to stop ({@code stop}) and waits, up to {@link #WAIT_SECONDS}, while the command prints what it did
 * so far (marked as interrupted) and writes its report; then the JVM exits (status 130).
 * {@link #release()} (the command ended, normally or not) lets the hook go.
 */
public final class Interruption {
    /** How long the hook waits for the command to print and write its partial results. */
    static final long WAIT_SECONDS = 30;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    public Interruption(Runnable stop) {
        this.hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ioreq-sim-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public void release() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running (Ctrl-C): it returns now that the command has finished.
        }
    }
}
