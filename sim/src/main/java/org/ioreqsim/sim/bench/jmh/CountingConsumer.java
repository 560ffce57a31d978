package org.ioreqsim.sim.bench.jmh;

import akka.actor.ActorPath;
import akka.actor.RootActorPath;
import akka.actor.typed.ActorRef;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;

/** An actor reference for micro-benchmarks that only counts what it is told (no actor system). */
final class CountingConsumer<T> implements ActorRef<T> {
    private static final long serialVersionUID = 1L;
    private static final ActorPath PATH = RootActorPath.apply(akka.actor.Address.apply("akka", "jmh"), "/")
            .child("counting");

    long told;

    /** A port consumer whose deliveries are counted. */
    static EventChannelConsumer<Object> consumer() {
        return new EventChannelConsumer<>(new CountingConsumer<>(), "event");
    }

    @Override
    public void tell(T msg) {
        told++;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <U extends T> ActorRef<U> narrow() {
        return (ActorRef<U>) this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <U> ActorRef<U> unsafeUpcast() {
        return (ActorRef<U>) this;
    }

    @Override
    public ActorPath path() {
        return PATH;
    }

    @Override
    public int compareTo(ActorRef<?> o) {
        return path().compareTo(o.path());
    }
}
