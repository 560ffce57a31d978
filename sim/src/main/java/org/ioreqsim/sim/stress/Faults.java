package org.ioreqsim.sim.stress;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.ioreqsim.ioreq.evtchn.DeliveryHook;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;

/**
 * Opt-in notification faults: each event-channel delivery is, with the program's probabilities, lost,
 * delivered twice, or held back. Held deliveries form a pseudo-actor ({@link #KEY}) that the strategy
 * schedules like any other, so "delayed" means "overtaken by whatever the strategy runs first". Every
 * decision is recorded as one character ({@code o}k, {@code l}ost, {@code d}uplicated, dela{@code y}ed)
 * so that a replay makes the same ones.
 */
final class Faults implements DeliveryHook {
    /** The key of the held deliveries. */
    static final String KEY = "~delayed";

    private final Program.FaultRates rates;
    private final SplittableRandom rng;
    private final String replay;
    private final Monitor monitor;
    private final StringBuilder decisions = new StringBuilder();
    private final ArrayDeque<EventChannelConsumer<?>> held = new ArrayDeque<>();

    Faults(Program.FaultRates rates, long seed, String replay, Monitor monitor) {
        this.rates = rates;
        this.rng = new SplittableRandom(seed);
        this.replay = replay;
        this.monitor = monitor;
    }

    @Override
    public void deliver(EventChannel port, EventChannelConsumer<?> consumer) {
        char d = decide();
        decisions.append(d);
        switch (d) {
            case 'l' -> monitor.faultInjected("lost");
            case 'd' -> {
                monitor.faultInjected("dup");
                consumer.deliver();
                consumer.deliver();
            }
            case 'y' -> {
                monitor.faultInjected("delay");
                held.add(consumer);
            }
            default -> consumer.deliver();
        }
    }

    private char decide() {
        if (replay != null) {
            return decisions.length() < replay.length() ? replay.charAt(decisions.length()) : 'o';
        }
        double r = rng.nextDouble();
        if (r < rates.lost()) {
            return 'l';
        }
        r -= rates.lost();
        if (r < rates.dup()) {
            return 'd';
        }
        r -= rates.dup();
        return r < rates.delay() ? 'y' : 'o';
    }

    boolean hasHeld() {
        return !held.isEmpty();
    }

    /** Delivers the oldest held event. */
    void releaseOne() {
        EventChannelConsumer<?> c = held.poll();
        if (c != null) {
            c.deliver();
        }
    }

    String decisions() {
        return decisions.toString();
    }
}
