package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw Akka bound of a synchronous ioreq: the same three-hop closed loop as the simulator
 * (client -> router -> server -> client) with plain typed actors and no model logic, on an actor system
 * with the simulator's settings. Each router has its own clients and one server.
 */
final class RawLoop {
    private RawLoop() {
    }

    /** Runs {@code shape} for {@code duration} on a fresh actor system with {@code akka} settings. */
    static LoopResult run(Shape shape, Duration duration, Config akka) {
        return run(shape, duration, akka, Window::measure);
    }

    /** As {@link #run(Shape, Duration, Config)}, with {@code watch} observing the loop while it runs. */
    static LoopResult run(Shape shape, Duration duration, Config akka, Window.Watch watch) {
        Latencies latencies = new Latencies();
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch done = new CountDownLatch((int) shape.totalClients());
        CompletableFuture<Void> wired = new CompletableFuture<>();
        ActorSystem<Go> system = ActorSystem.create(guardian(shape, latencies, deadline, done, wired), "raw-bound",
                akka);
        try {
            wired.get(120, TimeUnit.SECONDS);
            java.util.Map<Long, Long> alloc = CpuClock.allocatedByThread();
            long cpu = CpuClock.processNanos();
            long start = System.nanoTime();
            deadline.set(start + duration.toNanos());
            system.tell(Go.INSTANCE);
            double rate = watch.watch(start, duration, latencies::completed);
            if (!done.await(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the raw loop did not finish");
            }
            long elapsed = System.nanoTime() - start;
            cpu = cpu < 0 ? -1 : CpuClock.processNanos() - cpu;
            long bytes = CpuClock.allocatedBetween(alloc, CpuClock.allocatedByThread());
            return LoopResult.of(latencies.completed(), elapsed, rate, latencies.merged(), cpu, bytes);
        } catch (Exception e) {
            throw new IllegalStateException("raw loop " + shape.name() + ": " + e, e);
        } finally {
            Bench.terminate(system);
        }
    }

    /** Tells every client to start. */
    enum Go {
        INSTANCE
    }

    private static Behavior<Go> guardian(Shape shape, Latencies latencies, AtomicLong deadline, CountDownLatch done,
                                         CompletableFuture<Void> wired) {
        return Behaviors.setup(ctx -> {
            List<ActorRef<RawClient.Command>> all = new ArrayList<>();
            for (int r = 0; r < shape.routers(); r++) {
                long[] slots = new long[shape.clientsPerRouter()];
                ActorRef<RawServer.Command> server = ctx.spawn(RawServer.create(slots), "server-" + r);
                ActorRef<RawRouter.Command> router = ctx.spawn(RawRouter.create(server, slots), "router-" + r);
                List<ActorRef<RawClient.Command>> clients = new ArrayList<>();
                for (int c = 0; c < shape.clientsPerRouter(); c++) {
                    clients.add(ctx.spawn(RawClient.create(c, router, slots, latencies, deadline, done),
                            "client-" + r + "-" + c));
                }
                server.tell(new RawServer.Wire(List.copyOf(clients)));
                all.addAll(clients);
            }
            wired.complete(null);
            return Behaviors.receive(Go.class).onMessage(Go.class, g -> {
                all.forEach(c -> c.tell(RawClient.Start.INSTANCE));
                return Behaviors.same();
            }).build();
        });
    }
}
