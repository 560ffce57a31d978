package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ioreqsim.domain.ServerSelector;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.sim.exec.ControlledSystem;
import org.ioreqsim.sim.stress.monitor.Sink;

/**
 * Runs schedules, one after the other, on one {@link ControlledSystem}: for each, a fresh world of the
 * program, the strategy's choice at every step, the monitors after every step, virtual time advanced
 * only when nothing can run, liveness once nothing can run and no timer is due, and the world torn down
 * so the next schedule starts from the same state. Must be used from the thread that created it.
 */
public final class ScheduleRunner implements AutoCloseable {

    /**
     * How to run one schedule.
     *
     * @param stopOnViolation end the schedule at its first violation
     * @param details         record every message and model event (for traces)
     * @param faultReplay     fault decisions to replay instead of drawing them, or null
     * @param selector        a replacement for Xen's server selection in the guests, or null
     */
    public record RunOptions(boolean stopOnViolation, boolean details, String faultReplay, ServerSelector selector) {
        public static final RunOptions DEFAULT = new RunOptions(true, false, null, null);

        public RunOptions(boolean stopOnViolation, boolean details, String faultReplay) {
            this(stopOnViolation, details, faultReplay, null);
        }

        public RunOptions withDetails() {
            return new RunOptions(stopOnViolation, true, faultReplay, selector);
        }

        public RunOptions replayingFaults(String f) {
            return new RunOptions(stopOnViolation, details, f, selector);
        }

        public RunOptions withSelector(ServerSelector s) {
            return new RunOptions(stopOnViolation, details, faultReplay, s);
        }
    }

    /** A step using more CPU time than this is a hang (see {@link StepWatchdog}). */
    static final long STEP_LIMIT_SECONDS = 1;

    private final String name;
    private ControlledSystem system;
    private final StepWatchdog watchdog;

    public ScheduleRunner(String name) {
        this.name = name;
        this.system = new ControlledSystem(name);
        this.watchdog = new StepWatchdog(name, STEP_LIMIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
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
        system.startWorld(StressWorld.create(program, options, host, scripts, monitor, opts.selector()));
        strategy.start(Seeds.mix(seed, 0x5C4ED), program);

        Driver driver = new Driver(system, monitor, strategy, faults, digest, opts.details());
        driver.watch(watchdog);
        String divergence = null;
        boolean quiescent = false;
        boolean hung = false;
        try {
            while (true) {
                if (driver.steps() >= cfg.maxSteps()) {
                    monitor.budgetExhausted(cfg.maxSteps());
                    break;
                }
                stepBox[0] = driver.steps();
                if (!driver.step()) {
                    quiescent = true;
                    break;
                }
                if (opts.stopOnViolation() && monitor.failed()) {
                    break;
                }
            }
            stepBox[0] = driver.steps();
            if (quiescent) {
                monitor.atQuiescence(scripts.left());
            }
        } catch (ReplayStrategy.Divergence d) {
            divergence = d.getMessage();
        } catch (RuntimeException e) {
            monitor.internalError(e);
        } catch (ThreadDeath stopped) {
            Thread.interrupted();
            String key = watchdog.takeFired();
            hung = true;
            monitor.stepHung(key == null ? "?" : key, STEP_LIMIT_SECONDS);
        }
        recorder.close();
        ScheduleResult result = new ScheduleResult(seed, driver.steps(), driver.timers, digest.toString(),
                monitor.violations(), monitor.findings(), monitor.findingCounts(), monitor.coverage(),
                List.copyOf(driver.decisions), List.copyOf(driver.messages), List.copyOf(driver.detailList),
                events == null ? List.of() : List.copyOf(events), faults.decisions(), List.copyOf(driver.preemptions),
                divergence, quiescent);
        monitor.close();
        if (hung) {
            system.abandon();
            system = new ControlledSystem(name);
            return result;
        }
        driver.stopWorld();
        String leak = system.executor().foreignSubmission();
        if (leak != null) {
            throw new IllegalStateException("determinism broken: " + leak);
        }
        return result;
    }

    @Override
    public void close() {
        watchdog.close();
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
            digest.update(e);
            if (events != null) {
                events.add(step[0] + " " + e);
            }
            try {
                monitor.event(e);
            } catch (Sink.Runaway x) {
                throw x;
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
