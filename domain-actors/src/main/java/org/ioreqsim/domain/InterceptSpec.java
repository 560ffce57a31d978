package org.ioreqsim.domain;

import java.util.Objects;

/**
 * One of Xen's internal emulators in a domain's intercept table: a name (reported as route
 * {@code xen-<name>}), port or MMIO, and the address range it claims. The CF8 latch is always
 * present; stdvga is added when the domain has emulated VGA; everything else is configured.
 *
 * @param name      the device name, e.g. {@code "pit"}
 * @param mmio      MMIO rather than port I/O
 * @param start     first port or address
 * @param length    bytes
 * @param writeOnly the handler declines reads (X86EMUL_UNHANDLEABLE), which then go on to the ioreq
 *                  servers or the null handler, as {@code hvm_print_line} does for the debug port 0xE9
 */
public record InterceptSpec(String name, boolean mmio, long start, long length, boolean writeOnly) {
    public InterceptSpec {
        Objects.requireNonNull(name, "name");
        if (length <= 0) {
            throw new IllegalArgumentException("intercept " + name + ": length must be positive");
        }
    }

    public InterceptSpec(String name, boolean mmio, long start, long length) {
        this(name, mmio, start, length, false);
    }

    public static InterceptSpec port(String name, long start, long length) {
        return new InterceptSpec(name, false, start, length);
    }

    public static InterceptSpec mmio(String name, long start, long length) {
        return new InterceptSpec(name, true, start, length);
    }

    /** The same handler, declining reads. */
    public InterceptSpec asWriteOnly() {
        return new InterceptSpec(name, mmio, start, length, true);
    }

    public long end() {
        return start + length - 1;
    }
}
