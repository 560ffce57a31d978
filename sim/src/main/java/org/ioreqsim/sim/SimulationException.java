package org.ioreqsim.sim;

/** A run could not be set up or did not finish; the message is meant for the user, on one line. */
public final class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationException(String message) {
        super(message);
    }

    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
