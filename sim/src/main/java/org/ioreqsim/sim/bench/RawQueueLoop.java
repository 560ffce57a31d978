package org.ioreqsim.sim.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.ioreqsim.ioreq.Xen;

/**
 * The raw reference for buffered writes: per router, producers in a closed loop write into a bounded
 * Akka Streams queue of 511 elements ({@code Source.queue}) drained by a {@code Sink}, on an actor
 * system with the simulator's settings. Counts the elements the sinks consumed (a write offered to a
 * full queue is dropped and not counted, as a full ring's write is not counted as buffered).
 */
final class RawQueueLoop {
    private RawQueueLoop() {
    }

    static LoopResult run(Shape shape, Duration duration, Config akka) {
        Latencies latencies = new Latencies();
        LongAdder consumed = new LongAdder();
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch done = new CountDownLatch((int) shape.totalClients());
        CompletableFuture<Void> wired = new CompletableFuture<>();
        ActorSystem<RawLoop.Go> system = ActorSystem.create(guardian(shape, latencies, consumed, deadline, done,
                wired), "raw-queue", akka);
        try {
            wired.get(120, TimeUnit.SECONDS);
            java.util.Map<Long, Long> alloc = CpuClock.allocatedByThread();
            long cpu = CpuClock.processNanos();
            long before = consumed.sum();
            long start = System.nanoTime();
            deadline.set(start + duration.toNanos());
            system.tell(RawLoop.Go.INSTANCE);
            if (!done.await(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the raw queue loop did not finish");
            }
            long elapsed = System.nanoTime() - start;
            long n = consumed.sum() - before;
            cpu = cpu < 0 ? -1 : CpuClock.processNanos() - cpu;
            long bytes = CpuClock.allocatedBetween(alloc, CpuClock.allocatedByThread());
            org.HdrHistogram.Histogram h = latencies.merged();
            double secs = elapsed / 1e9;
            return new LoopResult(n, secs, n / secs, h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, LoopResult.perOp(cpu, n), LoopResult.perOp(bytes, n));
        } catch (Exception e) {
            throw new IllegalStateException("raw queue loop " + shape.name() + ": " + e, e);
        } finally {
            Bench.terminate(system);
        }
    }

    private static Behavior<RawLoop.Go> guardian(Shape shape, Latencies latencies, LongAdder consumed,
                                                 AtomicLong deadline, CountDownLatch done,
                                                 CompletableFuture<Void> wired) {
        return Behaviors.setup(ctx -> {
            Materializer mat = Materializer.createMaterializer(ctx.getSystem());
            List<ActorRef<QueueProducer.Command>> all = new ArrayList<>();
            for (int r = 0; r < shape.routers(); r++) {
                BoundedSourceQueue<Long> queue = Source.<Long>queue(Xen.IOREQ_BUFFER_SLOT_NUM)
                        .to(Sink.foreach(v -> consumed.increment()))
                        .run(mat);
                ActorRef<QueueRouter.Command> router = ctx.spawn(QueueRouter.create(queue), "router-" + r);
                List<ActorRef<QueueProducer.Command>> producers = new ArrayList<>();
                for (int c = 0; c < shape.clientsPerRouter(); c++) {
                    producers.add(ctx.spawn(QueueProducer.create(c, router, latencies, deadline, done),
                            "producer-" + r + "-" + c));
                }
                router.tell(new QueueRouter.Wire(List.copyOf(producers)));
                all.addAll(producers);
            }
            wired.complete(null);
            return Behaviors.receive(RawLoop.Go.class).onMessage(RawLoop.Go.class, g -> {
                all.forEach(p -> p.tell(QueueProducer.Start.INSTANCE));
                return Behaviors.same();
            }).build();
        });
    }
}
