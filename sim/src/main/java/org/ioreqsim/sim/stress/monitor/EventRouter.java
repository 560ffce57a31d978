package org.ioreqsim.sim.stress.monitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;

/**
 * Hands each model event to the handlers registered for its record type, in registration order
 * (the order of the checkers, then of each checker's registrations). Events no one registered for
 * only count as the step's events.
 */
final class EventRouter {
    private final Map<Class<? extends ModelEvent>, List<BiConsumer<DomainShadow, ModelEvent>>> handlers =
            new HashMap<>();

    /** Handler {@code h} receives every event of type {@code type} with its domain's shadow. */
    <E extends ModelEvent> void on(Class<E> type, BiConsumer<DomainShadow, ? super E> h) {
        handlers.computeIfAbsent(type, t -> new ArrayList<>()).add((d, e) -> h.accept(d, type.cast(e)));
    }

    void dispatch(DomainShadow d, ModelEvent e) {
        List<BiConsumer<DomainShadow, ModelEvent>> hs = handlers.get(e.getClass());
        if (hs == null) {
            return;
        }
        for (int i = 0; i < hs.size(); i++) {
            hs.get(i).accept(d, e);
        }
    }
}
