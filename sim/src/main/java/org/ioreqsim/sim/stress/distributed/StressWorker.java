package org.ioreqsim.sim.stress.distributed;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import org.ioreqsim.sim.cluster.ClusterMessage;
import org.ioreqsim.sim.stress.ScheduleRunner;
import org.ioreqsim.sim.stress.SeedSummary;
import org.ioreqsim.sim.stress.StressConfig;
import org.ioreqsim.sim.stress.StressRunner;

/**
 * One worker of a cluster member: it pulls seed ranges from the {@link CampaignCoordinator} and runs each seed
 * exactly as a local campaign does ({@link StressRunner#runSeed}), sending every seed's summary back as soon as
 * it is known. It owns a {@link ScheduleRunner} (its own controlled actor system), which must be used from one
 * thread: the worker runs on a pinned dispatcher. While idle it repeats its request for work every
 * {@link #REPEAT} seconds, so a coordinator started again elsewhere learns of it.
 */
public final class StressWorker {
    /** How often an idle worker asks again. */
    static final Duration REPEAT = Duration.ofSeconds(2);

    /** Messages to a worker. */
    public sealed interface Command extends ClusterMessage {
    }

    /** Run {@code range} of campaign {@code campaignId}; summaries and the next request to {@code coordinator}. */
    public record RunRange(String campaignId, StressConfig config, SeedRange range, long rangeId,
                           ActorRef<CampaignCoordinator.Command> coordinator) implements Command {
    }

    /** The repeat timer of an idle worker. */
    public enum Repeat implements Command {
        INSTANCE
    }

    private StressWorker() {
    }

    /**
     * @param coordinator the coordinator singleton's proxy
     * @param member      this member's {@code HOST:PORT}, reported with each summary
     */
    public static Behavior<Command> create(ActorRef<CampaignCoordinator.Command> coordinator, String member) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ScheduleRunner runner = new ScheduleRunner("stress-" + ctx.getSelf().path().name());
            long[] finished = {-1};
            coordinator.tell(new CampaignCoordinator.RequestWork(ctx.getSelf(), -1));
            timers.startTimerWithFixedDelay(Repeat.INSTANCE, REPEAT);
            return Behaviors.receive(Command.class)
                    .onMessage(Repeat.class, r -> {
                        coordinator.tell(new CampaignCoordinator.RequestWork(ctx.getSelf(), finished[0]));
                        return Behaviors.same();
                    })
                    .onMessage(RunRange.class, r -> {
                        run(ctx, runner, r, member);
                        finished[0] = r.rangeId();
                        coordinator.tell(new CampaignCoordinator.RequestWork(ctx.getSelf(), r.rangeId()));
                        timers.startTimerWithFixedDelay(Repeat.INSTANCE, REPEAT);
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, s -> {
                        runner.close();
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    private static void run(ActorContext<Command> ctx, ScheduleRunner runner, RunRange r, String member) {
        String name = ctx.getSelf().path().name();
        for (long seed = r.range().first(); seed < r.range().first() + r.range().count(); seed++) {
            long t0 = System.nanoTime();
            SeedSummary s;
            try {
                s = StressRunner.runSeed(runner, r.config(), seed);
            } catch (RuntimeException e) {
                // the harness itself failed (a broken model is a violation in the summary): the same seed would
                // fail on every worker, so the campaign ends rather than moving the range from worker to worker
                r.coordinator().tell(new CampaignCoordinator.SeedFailed(r.campaignId(), seed, member, name,
                        String.valueOf(e)));
                return;
            }
            r.coordinator().tell(new CampaignCoordinator.SeedFinished(r.campaignId(), s, member, name,
                    System.nanoTime() - t0));
        }
    }
}
