package org.ioreqsim.sim.exec;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fair executor's run queue: one FIFO {@link LinkedTransferQueue} whose takers poll it for a short
 * while before they park. An actor that tells an idle actor hands it a mailbox run; when the next
 * thread is parked, that costs a wake-up (tens of microseconds in a virtual machine) on every hop, and
 * a lone vCPU's request, three hops, waits for three. A thread that has just run out of work polls for
 * {@code spinNanos} first, so such a hand-off is picked up in well under a microsecond. Under load the
 * queue is never empty and nothing spins. Order is the queue's: spinning takes from its head like a
 * parked taker would.
 */
final class SpinningRunQueue extends LinkedTransferQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    private final long spinNanos;

    SpinningRunQueue(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    @Override
    public Runnable take() throws InterruptedException {
        Runnable r = spin();
        return r != null ? r : super.take();
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
        Runnable r = spin();
        return r != null ? r : super.poll(timeout, unit);
    }

    private Runnable spin() {
        if (spinNanos <= 0) {
            return null;
        }
        long start = System.nanoTime();
        do {
            for (int i = 0; i < 64; i++) {
                Runnable r = poll();
                if (r != null) {
                    return r;
                }
                Thread.onSpinWait();
            }
        } while (System.nanoTime() - start < spinNanos);
        return null;
    }
}
