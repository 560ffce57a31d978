package org.ioreqsim.sim.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ControlledSystemTest {

    /** Two children that keep each other runnable forever: a livelocked model. */
    static Behavior<Object> livelock() {
        return Behaviors.setup(ctx -> {
            ActorRef<ActorRef<?>> ping = ctx.spawn(bouncer(), "a");
            ActorRef<ActorRef<?>> pong = ctx.spawn(bouncer(), "b");
            ping.tell(pong);
            return Behaviors.empty();
        });
    }

    @SuppressWarnings("unchecked")
    static Behavior<ActorRef<?>> bouncer() {
        return Behaviors.receive((ctx, other) -> {
            ((ActorRef<ActorRef<?>>) other).tell(ctx.getSelf());
            return Behaviors.same();
        });
    }

    /** The guardian sorts after the world's actors; stopping must not wait for them to go quiet. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLivelockedWorldIsStillStopped() {
        try (ControlledSystem s = new ControlledSystem("t")) {
            s.startWorld(livelock());
            for (int i = 0; i < 1000; i++) {
                s.executor().runAny();
            }
            assertTrue(s.worldAlive());
            assertFalse(s.executor().isIdle(), "the two actors are still bouncing");
            s.stopWorld();
            assertFalse(s.worldAlive());
            assertTrue(s.executor().isIdle());
        }
    }
}
