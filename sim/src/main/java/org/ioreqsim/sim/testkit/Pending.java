package org.ioreqsim.sim.testkit;

import java.util.function.Consumer;

/**
 * The answer to something a test asked of a controlled {@link Testbed}: not there until the
 * scheduler has run the steps that produce it. {@link #get()} runs steps (chosen by the testbed's
 * strategy, so other actors interleave) until it is there.
 */
public final class Pending<T> {
    private final Testbed testbed;
    private final String what;
    private T value;
    private boolean done;
    private Consumer<T> then;

    Pending(Testbed testbed, String what) {
        this.testbed = testbed;
        this.what = what;
    }

    void complete(T v) {
        if (!done) {
            value = v;
            done = true;
            if (then != null) {
                then.accept(v);
            }
        }
    }

    void onComplete(Consumer<T> c) {
        this.then = c;
    }

    public boolean isDone() {
        return done;
    }

    /** Runs the testbed until the answer is there; fails if the testbed goes quiet without one. */
    public T get() {
        if (!testbed.runUntil(this::isDone)) {
            throw new AssertionError(what + " was never answered (the run went quiescent after "
                    + testbed.steps() + " steps)");
        }
        return value;
    }

    @Override
    public String toString() {
        return what + (done ? " = " + value : " (pending)");
    }
}
