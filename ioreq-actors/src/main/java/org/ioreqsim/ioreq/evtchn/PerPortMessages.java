package org.ioreqsim.ioreq.evtchn;

import java.util.function.IntFunction;
import org.ioreqsim.ioreq.Xen;

/**
 * One immutable message per event-channel port number (2-level ABI), made on first use. A port's consumer
 * holds the message it is sent for as long as the port is bound, and the message for a given port is
 * always the same value, so every consumer of that port number (in any domain) shares one instance
 * instead of holding one of its own. A racing second instance is equal and harmless.
 *
 * @param <T> the message type
 */
public final class PerPortMessages<T> {
    private final Object[] shared = new Object[Xen.EVTCHN_2L_NR_CHANNELS];
    private final IntFunction<T> make;

    public PerPortMessages(IntFunction<T> make) {
        this.make = make;
    }

    /** The message for {@code port}: shared for the 2-level ABI's ports, a new one beyond them. */
    @SuppressWarnings("unchecked")
    public T of(int port) {
        if (port < 0 || port >= shared.length) {
            return make.apply(port);
        }
        Object m = shared[port];
        if (m == null) {
            m = make.apply(port);
            shared[port] = m;
        }
        return (T) m;
    }
}
