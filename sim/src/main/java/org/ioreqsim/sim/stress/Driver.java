package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ioreqsim.sim.exec.ControlledExecutor;
import org.ioreqsim.sim.exec.ControlledSystem;

/**
 * The step loop of a controlled run: at each step, the runnable actors (plus held fault deliveries),
 * the strategy's choice, the monitors before and after; when nothing is runnable, virtual time moves
 * to the next timer; when no timer is left either, the run is quiescent. Records every decision.
 */
public final class Driver {
    private final ControlledSystem system;
    private final Monitor monitor;
    private final Strategy strategy;
    private final Faults faults;
    private final Digest digest;
    private final boolean details;
    private final List<String> enabled = new ArrayList<>();
    final List<String> decisions = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    final List<String> detailList = new ArrayList<>();
    final List<Integer> preemptions = new ArrayList<>();
    int timers;
    private final Strategy.StepView view;
    private StepWatchdog watchdog;

    /** A driver for a hand-written run (no fault injection), recording no message details. */
    public static Driver create(ControlledSystem system, Monitor monitor, Strategy strategy) {
        return new Driver(system, monitor, strategy, null, new Digest(), false);
    }

    /** The run's digest so far. */
    public String digest() {
        return digest.toString();
    }

    /** The keys chosen so far. */
    public List<String> decisions() {
        return List.copyOf(decisions);
    }

    Driver(ControlledSystem system, Monitor monitor, Strategy strategy, Faults faults, Digest digest, boolean details) {
        this.system = system;
        this.monitor = monitor;
        this.strategy = strategy;
        this.faults = faults;
        this.digest = digest;
        this.details = details;
        ActorFailureTrap.install();
        this.view = new Strategy.StepView() {
            @Override
            public int step() {
                return decisions.size();
            }

            @Override
            public Object peek(String key) {
                return Faults.KEY.equals(key) ? null : system.executor().peekMessage(key);
            }

            @Override
            public String previous() {
                return decisions.isEmpty() ? null : decisions.get(decisions.size() - 1);
            }
        };
    }

    /** Watches every step (a runner's schedules; hand-written scenarios run without). */
    void watch(StepWatchdog w) {
        this.watchdog = w;
    }

    /**
     * Tears the world down (see {@link ControlledSystem#stopWorld()}); actor failures logged meanwhile
     * go to the (closed) monitor, which ignores them, instead of the console.
     */
    public int stopWorld() {
        ActorFailureTrap.enter(monitor);
        try {
            return system.stopWorld();
        } finally {
            ActorFailureTrap.exit();
        }
    }

    /** Steps run so far. */
    public int steps() {
        return decisions.size();
    }

    /**
     * Runs one step, advancing virtual time first if nothing is runnable. Returns false, having run
     * nothing, when the run is quiescent (nothing runnable and no timer due).
     */
    public boolean step() {
        ControlledExecutor executor = system.executor();
        while (true) {
            executor.enabled(enabled);
            if (faults != null && faults.hasHeld()) {
                int at = Collections.binarySearch(enabled, Faults.KEY);
                enabled.add(at < 0 ? -at - 1 : at, Faults.KEY);
            }
            if (!enabled.isEmpty()) {
                break;
            }
            if (!system.clock().advanceToNextTimer()) {
                return false;
            }
            timers++;
            digest.update("T");
        }
        int step = decisions.size();
        String key = strategy.pick(enabled, view);
        String prev = view.previous();
        if (prev != null && !prev.equals(key) && enabled.contains(prev)) {
            preemptions.add(step);
        }
        Object msg = view.peek(key);
        String kind = Messages.kind(msg);
        decisions.add(key);
        messages.add(kind);
        if (details) {
            detailList.add(Messages.detail(msg));
        }
        digest.update(key);
        digest.update(kind);
        monitor.beforeStep(step, key, msg);
        if (Faults.KEY.equals(key)) {
            faults.releaseOne();
        } else {
            ActorFailureTrap.enter(monitor);
            if (watchdog != null) {
                watchdog.begin(key);
            }
            try {
                executor.run(key);
            } finally {
                if (watchdog != null) {
                    watchdog.end();
                }
                ActorFailureTrap.exit();
            }
        }
        monitor.afterStep();
        return true;
    }
}
