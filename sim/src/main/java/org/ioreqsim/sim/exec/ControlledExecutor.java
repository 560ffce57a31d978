package org.ioreqsim.sim.exec;

import akka.actor.ActorCell;
import akka.dispatch.AbstractNodeQueue;
import akka.dispatch.Envelope;
import akka.dispatch.Mailbox;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The executor behind every dispatcher of a controlled actor system. It runs nothing by itself: Akka
 * hands it runnables (an actor's mailbox run, or a task such as a future callback), and it keeps them
 * until a driver picks one and {@link #run runs} it on the driver's own thread. With the dispatcher's
 * throughput at 1, one mailbox run delivers the actor's pending system messages and at most one
 * message, so one run is one step of the schedule.
 *
 * <p>Runnables are identified by a stable key, never by arrival order or identity: a mailbox by its
 * actor's path relative to the world under test (for example {@code xen/domain-1/vcpu-0}), any other
 * task by {@link #TASKS}. Keys are kept sorted, so a strategy that picks by key or by position in
 * {@link #enabled()} sees the same choices on every run and every machine, whatever order Akka
 * happened to register mailboxes in (it iterates hash sets keyed by randomly numbered actor refs, for
 * instance when it tells watchers of a death).
 *
 * <p>Executors are found by dispatchers through a registry keyed by the id written into the actor
 * system's configuration ({@link ControlledExecutorConfigurator}).
 */
public final class ControlledExecutor {
    /** The key of runnables that are not mailboxes (future callbacks, batches): one FIFO lane. */
    public static final String TASKS = "~tasks";

    private static final Map<String, ControlledExecutor> REGISTRY = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    /** Akka numbers some system actors with counters that run across worlds (stream actors, temp actors). */
    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[0-9]+");
    /**
     * Stream actors under a world's actors: a materializer's supervisor is numbered by a JVM-wide
     * counter ({@code StreamSupervisor-127}) and its stages by a system-wide one ({@code flow-3-0-…}).
     * Their keys keep the name without the number; two such actors under one parent share a lane,
     * which stays deterministic because the driver submits to it in a deterministic order.
     */
    private static final java.util.regex.Pattern STREAM_COUNTER =
            java.util.regex.Pattern.compile("(StreamSupervisor-|flow-)[0-9]+");

    private final String id;
    private final ReadyLanes ready = new ReadyLanes();
    private final IdentityHashMap<ActorCell, String> keys = new IdentityHashMap<>();
    private String rootPrefix = "/user/world/";
    /** Keys in submission order, one entry per submission, while {@link #keepSubmissionOrder} is on. */
    private ArrayDeque<String> submissionOrder;
    private Thread driver;
    private String foreignSubmission;
    private long submitted;
    private boolean waiting;

    private ControlledExecutor(String id) {
        this.id = id;
    }

    /** A new executor, registered under a fresh id. */
    public static ControlledExecutor create() {
        ControlledExecutor e = new ControlledExecutor("controlled-" + IDS.incrementAndGet());
        REGISTRY.put(e.id, e);
        return e;
    }

    static ControlledExecutor lookup(String id) {
        ControlledExecutor e = REGISTRY.get(id);
        if (e == null) {
            throw new IllegalStateException("no controlled executor '" + id + "'");
        }
        return e;
    }

    /** The id dispatchers name in their configuration. */
    public String id() {
        return id;
    }

    /** Forgets the executor; its actor system must have terminated. */
    public void close() {
        REGISTRY.remove(id);
    }

    /** The thread allowed to submit and run; a submission from any other thread is recorded as a leak. */
    public synchronized void bindDriver(Thread t) {
        this.driver = t;
    }

    /** Keys are paths relative to this actor path prefix (default {@code /user/world/}). */
    public synchronized void setRootPrefix(String prefix) {
        this.rootPrefix = prefix;
        keys.clear();
    }

    /** Forgets cached keys (actors of the last world are gone). */
    public synchronized void clearKeys() {
        keys.clear();
    }

    /** Called by the dispatcher: keep the runnable for the driver. */
    synchronized void submit(Runnable r) {
        if (driver != null && Thread.currentThread() != driver && foreignSubmission == null) {
            foreignSubmission = Thread.currentThread().getName() + " submitted " + r.getClass().getName();
        }
        submitted++;
        String key = keyOf(r);
        ready.add(key, r);
        if (submissionOrder != null) {
            submissionOrder.add(key);
        }
        if (waiting) {
            notifyAll();
        }
    }

    /** Waits up to {@code millis} for a submission if nothing is runnable (only while Akka starts up). */
    synchronized void awaitWork(long millis) throws InterruptedException {
        if (ready.isEmpty()) {
            waiting = true;
            try {
                wait(millis);
            } finally {
                waiting = false;
            }
        }
    }

    /** The first submission made by a thread other than the driver, or {@code null}. */
    public synchronized String foreignSubmission() {
        return foreignSubmission;
    }

    /** Runnables accepted since creation. */
    public synchronized long submitted() {
        return submitted;
    }

    public synchronized boolean isIdle() {
        return ready.isEmpty();
    }

    /** The keys with something to run, sorted. */
    public synchronized List<String> enabled() {
        return new ArrayList<>(ready.keys());
    }

    /** Fills {@code out} with the enabled keys, sorted. */
    public synchronized void enabled(List<String> out) {
        out.clear();
        out.addAll(ready.keys());
    }

    public synchronized boolean isEnabled(String key) {
        return ready.contains(key);
    }

    /**
     * The message the next run of {@code key} would deliver, if it is a mailbox with a message at the
     * head of its queue; else {@code null}. Reads the queue without changing it.
     */
    public synchronized Object peekMessage(String key) {
        ArrayDeque<Runnable> q = ready.lane(key);
        if (q == null || !(q.peek() instanceof Mailbox m)) {
            return null;
        }
        Object head = null;
        if (m.messageQueue() instanceof AbstractNodeQueue<?> queue) {
            head = queue.peek();
        } else if (m.messageQueue() instanceof Queue<?> queue) {
            head = queue.peek();
        }
        return head instanceof Envelope e ? e.message() : null;
    }

    /** Runs the oldest runnable under {@code key} on the calling thread. */
    public void run(String key) {
        Runnable r;
        synchronized (this) {
            r = ready.poll(key);
            if (r == null) {
                throw new IllegalStateException("nothing to run for " + key);
            }
        }
        r.run();
    }

    /**
     * Remembers from now on the order in which runnables are submitted, for {@link #runOldest()}. Off by
     * default: a driver that picks by key (the stress harness) never consumes the order.
     */
    public synchronized void keepSubmissionOrder() {
        if (submissionOrder == null) {
            submissionOrder = new ArrayDeque<>();
            for (String k : ready.keys()) {
                ready.lane(k).forEach(r -> submissionOrder.add(k));
            }
        }
    }

    /**
     * Runs the runnable submitted longest ago (a FIFO over every actor, as one fair run queue of real
     * threads would serve them); with throughput 1 a mailbox that still has messages goes to the back.
     * Needs {@link #keepSubmissionOrder()}. Returns false if nothing is runnable.
     */
    public boolean runOldest() {
        String key;
        synchronized (this) {
            do {
                key = submissionOrder.poll();
                if (key == null) {
                    return false;
                }
            } while (!ready.contains(key));
        }
        run(key);
        return true;
    }

    /** Runs the first enabled key, in key order (teardown and warm-up, where the order is irrelevant). */
    public boolean runAny() {
        String key;
        synchronized (this) {
            if (ready.isEmpty()) {
                return false;
            }
            key = ready.firstKey();
        }
        run(key);
        return true;
    }

    private String keyOf(Runnable r) {
        if (!(r instanceof Mailbox m)) {
            return TASKS;
        }
        ActorCell cell = m.actor();
        if (cell == null) {
            return TASKS;
        }
        String k = keys.get(cell);
        if (k == null) {
            String p = cell.self().path().toStringWithoutAddress();
            if (p.startsWith(rootPrefix)) {
                k = STREAM_COUNTER.matcher(p.substring(rootPrefix.length())).replaceAll("$1#");
            } else {
                k = p.length() + 1 == rootPrefix.length() && rootPrefix.startsWith(p) ? "."
                        : "~" + DIGITS.matcher(p).replaceAll("#");
            }
            keys.put(cell, k);
        }
        return k;
    }
}
