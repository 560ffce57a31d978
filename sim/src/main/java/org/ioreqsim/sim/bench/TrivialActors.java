package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The memory reference of the scale measurement: trivial typed actors (one shared stateless
 * behaviour that counts one message), spawned under parents as vCPUs are under domains.
 */
final class TrivialActors {
    private TrivialActors() {
    }

    /** A parent's protocol: tell every child once. */
    enum Ping {
        INSTANCE
    }

    /** The guardian: spawns {@code parents} parents of {@code children} children each, then relays pings. */
    static Behavior<Ping> guardian(int parents, int children, CountDownLatch spawned, CountDownLatch answered) {
        return Behaviors.setup(ctx -> {
            Behavior<Ping> child = Behaviors.receiveMessage(p -> {
                answered.countDown();
                return Behaviors.same();
            });
            List<ActorRef<Ping>> all = new ArrayList<>();
            for (int p = 0; p < parents; p++) {
                all.add(ctx.spawn(parent(children, child, spawned), "parent-" + p));
            }
            return Behaviors.receiveMessage(p -> {
                all.forEach(a -> a.tell(Ping.INSTANCE));
                return Behaviors.same();
            });
        });
    }

    private static Behavior<Ping> parent(int children, Behavior<Ping> child, CountDownLatch spawned) {
        return Behaviors.setup(ctx -> {
            List<ActorRef<Ping>> kids = new ArrayList<>(children);
            for (int c = 0; c < children; c++) {
                kids.add(ctx.spawn(child, "child-" + c));
            }
            spawned.countDown();
            return Behaviors.receiveMessage(p -> {
                kids.forEach(k -> k.tell(Ping.INSTANCE));
                return Behaviors.same();
            });
        });
    }
}
