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

    /** The guardian's and the parents' protocol. */
    sealed interface Command {
    }

    /** Spawn the parents and their children. */
    enum Spawn implements Command {
        INSTANCE
    }

    /** Tell every child once. */
    enum Ping implements Command {
        INSTANCE
    }

    /**
     * The guardian: on Spawn, {@code parents} parents of {@code children} children each, every child
     * counting down {@code spawned} once started; relays pings.
     */
    static Behavior<Command> guardian(int parents, int children, CountDownLatch spawned, CountDownLatch answered) {
        Behavior<Command> running = Behaviors.receiveMessage(p -> {
            answered.countDown();
            return Behaviors.same();
        });
        // One shared deferred behaviour: each child counts itself once started (an actor whose start
        // is still queued has no behaviour yet, and would make the reference look smaller than it is).
        Behavior<Command> child = Behaviors.setup(ctx -> {
            spawned.countDown();
            return running;
        });
        return Behaviors.setup(ctx -> {
            List<ActorRef<Command>> all = new ArrayList<>();
            return Behaviors.receive(Command.class)
                    .onMessageEquals(Spawn.INSTANCE, () -> {
                        for (int p = 0; p < parents; p++) {
                            all.add(ctx.spawn(parent(children, child), "parent-" + p));
                        }
                        return Behaviors.same();
                    })
                    .onMessageEquals(Ping.INSTANCE, () -> {
                        all.forEach(a -> a.tell(Ping.INSTANCE));
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static Behavior<Command> parent(int children, Behavior<Command> child) {
        return Behaviors.setup(ctx -> {
            List<ActorRef<Command>> kids = new ArrayList<>(children);
            for (int c = 0; c < children; c++) {
                kids.add(ctx.spawn(child, "child-" + c));
            }
            return Behaviors.receiveMessage(p -> {
                kids.forEach(k -> k.tell(Ping.INSTANCE));
                return Behaviors.same();
            });
        });
    }
}
