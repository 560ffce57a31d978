package org.ioreqsim.sim;

/** Bad input: a flag, a file, a value. The message names what was wrong, on one line; exit code 2. */
public final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }
}
