package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;

/**
 * Runs schedules, one after the other, on one {@link ControlledSystem}: for each, a fresh world of the
 * program, the strategy's choice at every step, the monitors after every step, virtual time advanced
 * only when nothing can run, liveness once nothing can run and no timer is due, and the world torn down
 * so the next schedule starts from the same state. Must be used from the thread that created it.
 */
public final class ScheduleRunner implements AutoCloseable {

    /** How to run one schedule. */
    public record RunOptions(boolean stopOnViolation, boolean details, String faultReplay) {
        public static final RunOptions DEFAULT = new RunOptions(true, false, null);

        public RunOptions withDetails() {
            return new RunOptions(stopOnViolation, true, faultReplay);
        }

        public RunOptions replayingFaults(String f) {
            return new RunOptions(stopOnViolation, details, f);
        }
    }

    private final ControlledSystem system;
    private final List<String> enabled = new ArrayList<>();

    public ScheduleRunner(String name) {
        this.system = new ControlledSystem(name);
    }

    /** The controlled system (for the testkit). */
    public ControlledSystem system() {
        return system;
    }

    /** Runs {@code program} under {@code strategy}; {@code seed} seeds the strategy and the faults. */
    public ScheduleResult run(StressConfig cfg, long seed, Program program, Strategy strategy, RunOptions opts) {
        XenOptions options = cfg.options();
        Monitor monitor = new Monitor(options, true);
        Digest digest = new Digest();
        List<String> events = opts.details() ? new ArrayList<>() : null;
        int[] stepBox = {0};
        Recorder recorder = new Recorder(monitor, digest, events, stepBox);
        Faults faults = new Faults(program.faults(), Seeds.mix(seed, 0xFA), opts.faultReplay(), monitor);
        Host host = new Host(recorder, program.faults().any() || opts.faultReplay() != null ? faults : null);
        monitor.attach(host);
        VcpuScripts scripts = new VcpuScripts(program, monitor);
        system.startWorld(StressWorld.create(program, options, host, scripts, monitor));
        strategy.start(Seeds.mix(seed, 0x5C4ED), program);

        List<String> decisions = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<String> details = opts.details() ? new ArrayList<>() : null;
        ControlledExecutor executor = system.executor();
        VirtualTimeScheduler clock = system.clock();
        String divergence = null;
        int timers = 0;
        int preemptions = 0;
        boolean quiescent = false;
        Strategy.StepView view = new Strategy.StepView() {
            @Override
            public int step() {
                return stepBox[0];
            }

            @Override
            public Object peek(String key) {
                return Faults.KEY.equals(key) ? null : executor.peekMessage(key);
            }

            @Override
            public String previous() {
                return decisions.isEmpty() ? null : decisions.get(decisions.size() - 1);
            }
        };
        try {
            while (true) {
                executor.enabled(enabled);
                if (faults.hasHeld()) {
                    int at = Collections.binarySearch(enabled, Faults.KEY);
                    enabled.add(at < 0 ? -at - 1 : at, Faults.KEY);
                }
                if (enabled.isEmpty()) {
                    if (clock.advanceToNextTimer()) {
                        timers++;
                        digest.update("T");
                        continue;
                    }
                    quiescent = true;
                    break;
                }
                int step = stepBox[0];
                if (step >= cfg.maxSteps()) {
                    monitor.budgetExhausted(cfg.maxSteps());
                    break;
                }
                String key = strategy.pick(enabled, view);
                String prev = view.previous();
                if (prev != null && !prev.equals(key) && enabled.contains(prev)) {
                    preemptions++;
                }
                Object msg = view.peek(key);
                String kind = Messages.kind(msg);
                decisions.add(key);
                messages.add(kind);
                if (details != null) {
                    details.add(Messages.detail(msg));
                }
                digest.update(key);
                digest.update(kind);
                monitor.beforeStep(step, key, msg);
                if (Faults.KEY.equals(key)) {
                    faults.releaseOne();
                } else {
                    executor.run(key);
                }
                monitor.afterStep();
                stepBox[0]++;
                if (opts.stopOnViolation() && monitor.failed()) {
                    break;
                }
            }
            if (quiescent) {
                monitor.atQuiescence(scripts.left());
            }
        } catch (ReplayStrategy.Divergence d) {
            divergence = d.getMessage();
        } catch (RuntimeException e) {
            monitor.internalError(e);
        }
        recorder.close();
        ScheduleResult result = new ScheduleResult(seed, stepBox[0], timers, digest.toString(), monitor.violations(),
                monitor.findings(), monitor.findingCounts(), monitor.coverage(), List.copyOf(decisions),
                List.copyOf(messages), details == null ? List.of() : List.copyOf(details),
                events == null ? List.of() : List.copyOf(events), faults.decisions(), preemptions, divergence);
        monitor.close();
        system.stopWorld();
        String leak = executor.foreignSubmission();
        if (leak != null) {
            throw new IllegalStateException("determinism broken: " + leak);
        }
        return result;
    }

    @Override
    public void close() {
        system.close();
    }

    /** Feeds model events to the digest and the monitors, until the schedule is over. */
    private static final class Recorder implements ModelTracer {
        private final Monitor monitor;
        private final Digest digest;
        private final List<String> events;
        private final int[] step;
        private boolean closed;

        Recorder(Monitor monitor, Digest digest, List<String> events, int[] step) {
            this.monitor = monitor;
            this.digest = digest;
            this.events = events;
            this.step = step;
        }

        void close() {
            closed = true;
        }

        @Override
        public boolean enabled() {
            return !closed;
        }

        @Override
        public void event(ModelEvent e) {
            if (closed) {
                return;
            }
            String text = e.toString();
            digest.update(text);
            if (events != null) {
                events.add(step[0] + " " + text);
            }
            try {
                monitor.event(e);
            } catch (RuntimeException x) {
                monitor.internalError(x);
            }
        }
    }

    /** Unused scripts left at the end, for diagnostics. */
    static Map<String, Integer> left(VcpuScripts s) {
        return s.left();
    }
}
