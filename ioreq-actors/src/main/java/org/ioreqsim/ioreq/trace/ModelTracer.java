package org.ioreqsim.ioreq.trace;

/**
 * Receives {@link ModelEvent}s. Model code checks {@link #enabled()} before building an event, so a
 * disabled tracer costs one field read on the hot path.
 */
public interface ModelTracer {

    boolean enabled();

    void event(ModelEvent e);

    /** Records nothing. */
    ModelTracer NONE = new ModelTracer() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void event(ModelEvent e) {
        }
    };
}
