package org.ioreqsim.ioreq;

/**
 * Xen's send status vocabulary ({@code X86EMUL_OKAY / UNHANDLEABLE / RETRY}), kept apart from errno:
 * what an emulation step or a send answers.
 */
public enum IoStatus {
    /** Handled; the access is complete. */
    OKAY,
    /** Nobody could handle it, or a check refused it: an emulation failure for the caller. */
    UNHANDLEABLE,
    /** Sent to an emulator (or refused for shutdown): the vCPU must wait. */
    RETRY
}
