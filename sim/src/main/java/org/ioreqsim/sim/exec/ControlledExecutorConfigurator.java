package org.ioreqsim.sim.exec;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Akka's hook for a dispatcher's executor ({@code executor = "org.ioreqsim.sim.stress.ControlledExecutorConfigurator"}):
 * every dispatcher configured with it hands its runnables to the {@link ControlledExecutor} named by
 * the dispatcher's {@code controlled-executor-id} setting. Several dispatchers (the default one and
 * Akka's internal one) may name the same executor, so that one driver orders all of them.
 */
public final class ControlledExecutorConfigurator extends ExecutorServiceConfigurator {
    /** The dispatcher setting that names the executor. */
    public static final String ID_SETTING = "controlled-executor-id";

    private final ControlledExecutor executor;

    public ControlledExecutorConfigurator(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        this.executor = ControlledExecutor.lookup(config.getString(ID_SETTING));
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return () -> new Service(executor);
    }

    /** The dispatcher's view: submissions queue in the executor; shutting down one dispatcher stops nothing. */
    private static final class Service extends AbstractExecutorService {
        private final ControlledExecutor executor;
        private volatile boolean shutdown;

        Service(ControlledExecutor executor) {
            this.executor = executor;
        }

        @Override
        public void execute(Runnable command) {
            executor.submit(command);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
