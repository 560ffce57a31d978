package org.ioreqsim.sim.script;

/** A step that cannot run as written (e.g. it names a domain that does not exist); the script goes on. */
final class ScriptStepException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptStepException(String message) {
        super(message);
    }
}
