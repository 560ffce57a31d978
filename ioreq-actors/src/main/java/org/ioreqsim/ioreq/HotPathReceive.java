package org.ioreqsim.ioreq;

import akka.actor.typed.Behavior;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.Receive;

/**
 * A receive that hands the one per-ioreq message class straight to its handler and everything else to
 * a receive built as usual. Akka 2.6's built receive boxes two {@code OptionVal}s for every case it
 * tests, even the first; on a message sent for every ioreq that was a sixth of the simulator's
 * allocation.
 *
 * @param <T> the actor's protocol
 * @param <H> the per-ioreq message
 */
public final class HotPathReceive<T, H extends T> extends Receive<T> {

    /** The handler of the per-ioreq message. */
    @FunctionalInterface
    public interface Handler<T, H> {
        Behavior<T> apply(H message) throws Exception;
    }

    private final Class<H> hot;
    private final Handler<T, H> handler;
    private final Receive<T> rest;

    private HotPathReceive(Class<H> hot, Handler<T, H> handler, Receive<T> rest) {
        this.hot = hot;
        this.handler = handler;
        this.rest = rest;
    }

    /** {@code hot} messages go to {@code handler}, everything else (signals too) to {@code rest}. */
    public static <T, H extends T> Receive<T> of(Class<H> hot, Handler<T, H> handler, Receive<T> rest) {
        return new HotPathReceive<>(hot, handler, rest);
    }

    @Override
    public Behavior<T> receiveMessage(T msg) throws Exception {
        if (msg.getClass() == hot) {
            return handler.apply(hot.cast(msg));
        }
        return rest.receiveMessage(msg);
    }

    @Override
    public Behavior<T> receiveSignal(Signal msg) throws Exception {
        return rest.receiveSignal(msg);
    }
}
