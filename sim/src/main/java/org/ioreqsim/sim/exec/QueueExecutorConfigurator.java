package org.ioreqsim.sim.exec;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.concurrent.ThreadFactory;

/**
 * Plugs a {@link QueueExecutor} into an Akka dispatcher ({@code executor = "<this class>"}). The
 * executor is looked up by the actor system's {@code ioreq-sim.executor-id} setting, so the driver
 * that created the system holds the same queue.
 */
public final class QueueExecutorConfigurator extends ExecutorServiceConfigurator {
    private final QueueExecutor executor;

    public QueueExecutorConfigurator(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        String id = prerequisites.settings().config().getString("ioreq-sim.executor-id");
        this.executor = DeterministicRuntime.executor(id);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return () -> executor;
    }
}
