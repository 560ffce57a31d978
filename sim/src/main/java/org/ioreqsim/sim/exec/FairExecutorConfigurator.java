package org.ioreqsim.sim.exec;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor of free runs: the JDK's {@link ThreadPoolExecutor} with a fixed number of threads that
 * all take mailbox runs from <em>one</em> FIFO run queue (a lock-free {@link SpinningRunQueue}), so every
 * actor that becomes runnable is served after every actor that became runnable before it,
 * whichever thread made it runnable.
 *
 * <p>Why not Akka's default fork-join pool: a fork-join worker that schedules a mailbox (an actor
 * telling an idle actor) pushes it onto its <em>own</em> deque, and after each task it runs its own
 * deque until it is empty before it looks at other workers' deques or at the submission queues
 * ({@code ForkJoinPool.WorkQueue.topLevelExec}). Closed-loop vCPUs that think for no time keep a
 * worker's deque full forever: each request is three tells (vCPU, domain, emulator, vCPU) that land on
 * the same worker. Whatever was submitted from outside a worker (the driver's start of a guest, a
 * timer's wake-up) then waits indefinitely, and the guests that did start stay split between the
 * workers in whatever proportion the first steals left. docs/architecture.md shows the measurements.
 *
 * <p>Settings, under the dispatcher's {@code fair-executor} section: {@code parallelism} threads (0:
 * one per available processor); {@code spin-micros}, how long a thread that ran out of work polls the
 * queue before it parks ({@link SpinningRunQueue}; 0: park at once).
 */
public final class FairExecutorConfigurator extends ExecutorServiceConfigurator {
    /** A thread that runs out of work polls this long before it parks, unless configured. */
    public static final long DEFAULT_SPIN_MICROS = 50;

    private final int threads;
    private final long spinNanos;

    public FairExecutorConfigurator(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        int n = config.hasPath("fair-executor.parallelism") ? config.getInt("fair-executor.parallelism") : 0;
        if (n < 0) {
            throw new IllegalArgumentException("fair-executor.parallelism must be >= 0, not " + n);
        }
        this.threads = n > 0 ? n : Runtime.getRuntime().availableProcessors();
        long spin = config.hasPath("fair-executor.spin-micros") ? config.getLong("fair-executor.spin-micros")
                : DEFAULT_SPIN_MICROS;
        if (spin < 0) {
            throw new IllegalArgumentException("fair-executor.spin-micros must be >= 0, not " + spin);
        }
        this.spinNanos = TimeUnit.MICROSECONDS.toNanos(spin);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return () -> new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new SpinningRunQueue(spinNanos),
                threadFactory);
    }
}
