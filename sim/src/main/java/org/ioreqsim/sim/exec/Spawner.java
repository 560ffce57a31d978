package org.ioreqsim.sim.exec;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;

/**
 * Whatever can start an actor: a run's actor system ({@link RunActors}), the scripts' controlled runtime
 * ({@link DeterministicRuntime}), or an actor's own context (the stress world, the testkit's testbed,
 * an emulator lane), so that one machine builder serves them all.
 */
public interface Spawner {

    /** Starts {@code behavior} as an actor named {@code name}. */
    <T> ActorRef<T> spawn(Behavior<T> behavior, String name);

    /** Children of the actor whose context this is; use it only from that actor's own message handling. */
    static Spawner of(ActorContext<?> ctx) {
        return new Spawner() {
            @Override
            public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
                return ctx.spawn(behavior, name);
            }
        };
    }
}
