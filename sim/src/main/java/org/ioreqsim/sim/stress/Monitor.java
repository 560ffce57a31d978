package org.ioreqsim.sim.stress;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.sim.stress.monitor.Checkers;
import org.ioreqsim.sim.stress.monitor.Sink;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;

/**
 * The safety and liveness monitors of a stress schedule. They read three sources: the model's events
 * ({@link ModelTracer}, reported synchronously inside the step that causes them), the lanes' reports
 * (operations issued and answered, emulators started and gone, guest outcomes), and — under controlled
 * execution — Xen's state itself, read through the domains' {@code XenInspector}s and the event-channel
 * tables after every step. The rules are checked by one checker per rule family
 * ({@link org.ioreqsim.sim.stress.monitor}); this class hands them their input and keeps the results.
 *
 * <p>Known hazards of Xen (spec section 16) are {@link Finding findings}; with the Xen option that fixes
 * one turned on, reaching it is a {@link Violation}. Anything else that breaks a rule is a violation.
 *
 * <p>Threading: the checkers are not thread-safe and are reached only through this object, whose one
 * lock (its own monitor) every entry point holds. In a controlled run all callers are the driver's
 * thread, so the lock is never contended; in a free run the model reports events from many actor
 * threads and the runner reads the results from its own. {@link #activity()} is read without the lock.
 */
public final class Monitor implements ModelTracer {
    /** The rule of a step the watchdog stopped. */
    public static final String STEP_HANG = "liveness.step-hang";

    private final Checkers checkers;
    private final Sink sink;
    private volatile long activity;

    /**
     * @param options the Xen options of the run (which hazards are fixed)
     * @param direct  read Xen's state between steps (controlled execution)
     */
    public Monitor(XenOptions options, boolean direct) {
        checkers = new Checkers(options, direct);
        sink = checkers.sink();
    }

    /** The host whose domains the monitor reads. */
    public synchronized void attach(Host host) {
        checkers.attach(host);
    }

    /** A domain whose emulators run in {@code domid} (a stub domain). */
    public synchronized void emulatorDomain(int domid) {
        checkers.emulatorDomain(domid);
    }

    // ---------------------------------------------------------------------------------------------
    // Results

    public synchronized List<Violation> violations() {
        return sink.violations();
    }

    /** The first occurrence of every finding, in order of first occurrence. */
    public synchronized Map<String, Finding> findings() {
        return sink.findings();
    }

    public synchronized Map<String, Integer> findingCounts() {
        return sink.findingCounts();
    }

    public synchronized Set<RaceScenario> coverage() {
        return sink.coverage();
    }

    public synchronized boolean failed() {
        return sink.failed();
    }

    /** Injected faults so far: lost, duplicated, delayed. */
    public synchronized int[] faults() {
        return checkers.faults();
    }

    // ---------------------------------------------------------------------------------------------
    // Driver hooks

    /** The driver is about to run {@code key}, whose next message is {@code msg} (or null). */
    public synchronized void beforeStep(int stepIndex, String key, Object msg) {
        checkers.beforeStep(stepIndex, key, msg);
    }

    /** The step ran: diff Xen's state against what the rules allow. */
    public synchronized void afterStep() {
        checkers.afterStep();
    }

    /** Called by the fault hook. */
    public synchronized void faultInjected(String kind) {
        checkers.faultInjected(kind);
    }

    // ---------------------------------------------------------------------------------------------
    // Model events

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public synchronized void event(ModelEvent e) {
        activity++;
        checkers.event(e);
    }

    // ---------------------------------------------------------------------------------------------
    // Lane reports

    /**
     * Incarnation {@code incarnation} of vCPU {@code vcpu} started a guest operation. A new incarnation
     * (the id re-created after a removal) may start while the old one's actor has not yet reported its
     * operation abandoned.
     */
    public synchronized void guestOpStarted(int domid, int vcpu, int incarnation, GuestOp op) {
        activity++;
        checkers.guestOpStarted(domid, vcpu, incarnation, op);
    }

    /** A vCPU's guest operation ended. */
    public synchronized void guestOpEnded(int domid, int vcpu, int incarnation, Outcome outcome) {
        checkers.guestOpEnded(domid, vcpu, incarnation, outcome);
    }

    /** A lane began an operation. */
    public synchronized void laneOpStarted(String lane, int domid, StressOp op) {
        checkers.laneOpStarted(lane, domid, op);
    }

    /** A lane's operation finished with {@code result} (null if it was skipped or its target went away). */
    public synchronized void laneOpDone(String lane, int domid, StressOp op, Result<?> result) {
        checkers.laneOpDone(lane, domid, op, result);
    }

    /** The lane has run its whole program. */
    public synchronized void laneFinished(String lane) {
        checkers.laneFinished(lane);
        activity++;
    }

    /** Lanes that have run their whole program. */
    public synchronized int lanesFinished() {
        return checkers.lanesFinished();
    }

    /**
     * A vCPU is in a {@code Think} (guest time with a timer to fire): a free run that has gone quiet by the
     * wall clock is not done yet, as a controlled one is not quiescent while a timer is due.
     */
    public synchronized boolean anyVcpuThinking() {
        return checkers.anyVcpuThinking();
    }

    /** A counter that moves with every event and report (free runs watch it to see a world go quiet). */
    public long activity() {
        return activity;
    }

    /** A lane is waiting on something (for the liveness report). */
    public synchronized void laneWaiting(String lane, String what) {
        checkers.laneWaiting(lane, what);
    }

    /** Emulator {@code key} finished starting for server {@code serverId} of {@code domid}. */
    public synchronized void emulatorStarted(String key, int domid, int serverId) {
        checkers.emulatorStarted(key, domid, serverId);
    }

    /** Emulator {@code key} is gone (crashed, failed, or exited). */
    public synchronized void emulatorGone(String key, String how) {
        checkers.emulatorGone(key, how);
    }

    /**
     * Emulator {@code key}, which writes its slots itself (the testkit's probe), answered {@code data} for vCPU
     * {@code vcpu} in the step now running. An {@link org.ioreqsim.ioreq.server.IoreqServer}'s answers are
     * taken from the {@code Respond} its step processes; nobody reports them.
     */
    public synchronized void answered(String key, int vcpu, long data) {
        checkers.answered(key, vcpu, data);
    }

    /** Domain {@code domid}'s fresh buffered rings start their pointers at {@code start} (its program's setup). */
    public synchronized void ringStart(int domid, long start) {
        checkers.ringStart(domid, start);
    }

    /** A VGA write reached emulator {@code device} (data: vCPU and sequence number). */
    public synchronized void vgaWrite(String device, int data) {
        checkers.vgaWrite(device, data);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Nothing is runnable and no timer is due: every vCPU must be done, or blocked for a reason the spec
     * gives; every lane must have finished; no pause may be left in force.
     */
    public synchronized void atQuiescence(Map<String, Integer> scriptsLeft) {
        checkers.atQuiescence();
    }

    /** The schedule ran out of steps: a livelock, or a budget too small for the program. */
    public synchronized void budgetExhausted(int maxSteps) {
        Checkers.EndlessRing ring = checkers.endlessRing();
        if (ring != null) {
            sink.finding(ring.hazard(), "still running after " + maxSteps + " steps: " + ring.detail());
            return;
        }
        sink.violation("liveness.step-budget", "still running after " + maxSteps + " steps (livelock?)");
    }

    /** The step of {@code key} ran past the watchdog's limit and was stopped: an endless loop in the model. */
    public synchronized void stepHung(String key, long seconds) {
        sink.violationUnconditionally(STEP_HANG, key + " did not finish its step within " + seconds
                + " s of CPU time (an endless loop inside one message?); the step was stopped");
    }

    /**
     * An actor of the model failed with an exception (Akka logged it at ERROR while the driver ran its
     * step): the model never throws by design except {@code DomainCrash}, which it handles itself.
     */
    public synchronized void actorFailed(Throwable cause, String message) {
        if (cause instanceof Sink.Runaway || sink.runaway() || sink.closed()) {
            return;
        }
        String what;
        if (cause == null) {
            what = String.valueOf(message);
        } else {
            StackTraceElement at = cause.getStackTrace().length > 0 ? cause.getStackTrace()[0] : null;
            what = cause + (at == null ? "" : " at " + at);
        }
        sink.violation("model.actor-failure", what);
    }

    /** A monitor or driver failure: reported as a violation so it is never silent. */
    public synchronized void internalError(RuntimeException e) {
        if (e instanceof Sink.Runaway || sink.runaway()) {
            return;
        }
        StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        sink.violation("harness.error", e + (at == null ? "" : " at " + at));
    }

    /** The schedule is over: what happens while its world is torn down is not judged. */
    public synchronized void close() {
        sink.close();
    }
}
