package org.ioreqsim.sim.stress.distributed;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.ioreqsim.sim.cluster.ClusterMessage;
import org.ioreqsim.sim.stress.SeedSummary;
import org.ioreqsim.sim.stress.StressConfig;

/**
 * The submitting side of a campaign, on the client member: it submits the campaign to the coordinator
 * singleton, receives every seed's summary, counts each seed once, and tells its {@link Listener} (on this
 * actor's thread). If the coordinator is lost it submits the unfinished seeds again; if none answers, or no
 * seed finishes for {@link #STALL}, the campaign fails. The actor stops once it has told the listener the end.
 */
public final class CampaignClient {
    /** How often the client checks on its campaign (and repeats an unanswered submit). */
    static final Duration CHECK = Duration.ofSeconds(2);
    /** A campaign with no coordinator, or no finished seed, for this long has failed. */
    static final Duration STALL = Duration.ofSeconds(60);

    /** Messages to the client. */
    public sealed interface Event extends ClusterMessage {
    }

    /** {@code coordinator} holds the campaign. */
    public record Accepted(String campaignId, ActorRef<CampaignCoordinator.Command> coordinator) implements Event {
    }

    /** One seed's summary (a seed may arrive twice, after a member was lost). */
    public record SeedDone(String campaignId, SeedSummary summary, String member, String worker, long nanos)
            implements Event {
    }

    /** A seed could not be run on {@code member}: the campaign ends with {@code error}. */
    public record SeedFailed(String campaignId, long seed, String member, String worker, String error)
            implements Event {
    }

    /** The coordinator that accepted the campaign stopped. */
    public record CoordinatorLost(String campaignId) implements Event {
    }

    /** Check on the campaign (timer). */
    public enum Check implements Event {
        INSTANCE
    }

    /** Stop the campaign (Ctrl-C). */
    public enum Stop implements Event {
        INSTANCE
    }

    /** What the client reports, on its actor's thread; after {@link #ended} nothing more. */
    public interface Listener {
        /** A seed's summary; {@code first} when it is the first of this seed. */
        void seed(SeedDone done, boolean first, int finished);

        /**
         * The campaign ended: all seeds done or stopped (both null), every worker lost ({@code lost} says how), or a
         * seed could not be run ({@code error} says which, where and why).
         */
        void ended(String lost, String error);
    }

    private CampaignClient() {
    }

    /**
     * @param coordinator the coordinator singleton's proxy
     */
    public static Behavior<Event> create(String campaignId, StressConfig config, List<SeedRange> seeds, int rangeSize,
                                         ActorRef<CampaignCoordinator.Command> coordinator, Listener listener) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new State(ctx, timers, campaignId, config, seeds, rangeSize, coordinator, listener).start()));
    }

    private static final class State {
        private final ActorContext<Event> ctx;
        private final String id;
        private final StressConfig config;
        private final List<SeedRange> seeds;
        private final int rangeSize;
        private final ActorRef<CampaignCoordinator.Command> proxy;
        private final Listener listener;
        private final long base;
        private final int total;
        private final BitSet done = new BitSet();
        private int finished;
        private ActorRef<CampaignCoordinator.Command> accepted;
        private long lastNews = System.nanoTime();

        State(ActorContext<Event> ctx, TimerScheduler<Event> timers, String id, StressConfig config,
              List<SeedRange> seeds, int rangeSize, ActorRef<CampaignCoordinator.Command> proxy, Listener listener) {
            this.ctx = ctx;
            this.id = id;
            this.config = config;
            this.seeds = seeds;
            this.rangeSize = rangeSize;
            this.proxy = proxy;
            this.listener = listener;
            this.base = seeds.stream().mapToLong(SeedRange::first).min().orElse(0);
            this.total = seeds.stream().mapToInt(SeedRange::count).sum();
            timers.startTimerWithFixedDelay(Check.INSTANCE, CHECK);
        }

        Behavior<Event> start() {
            submit();
            return Behaviors.receive(Event.class)
                    .onMessage(Accepted.class, this::onAccepted)
                    .onMessage(SeedDone.class, this::onSeedDone)
                    .onMessage(CoordinatorLost.class, this::onCoordinatorLost)
                    .onMessage(SeedFailed.class, f -> end(null, "seed " + f.seed() + " could not be run on "
                            + f.member() + " (" + f.worker() + "): " + f.error()))
                    .onMessage(Check.class, c -> onCheck())
                    .onMessage(Stop.class, s -> end(null, null))
                    .build();
        }

        private void submit() {
            proxy.tell(new CampaignCoordinator.Submit(id, config, SeedRange.missing(seeds, done, base), rangeSize,
                    ctx.getSelf()));
        }

        private Behavior<Event> onAccepted(Accepted a) {
            if (accepted == null || !accepted.equals(a.coordinator())) {
                accepted = a.coordinator();
                ctx.watchWith(accepted, new CoordinatorLost(id));
            }
            lastNews = System.nanoTime();
            return Behaviors.same();
        }

        private Behavior<Event> onSeedDone(SeedDone d) {
            int i = (int) (d.summary().seed() - base);
            boolean first = !done.get(i);
            if (first) {
                done.set(i);
                finished++;
                lastNews = System.nanoTime();
            }
            listener.seed(d, first, finished);
            return finished == total ? end(null, null) : Behaviors.same();
        }

        private Behavior<Event> onCoordinatorLost(CoordinatorLost l) {
            accepted = null;
            lastNews = System.nanoTime();
            submit();
            return Behaviors.same();
        }

        private Behavior<Event> onCheck() {
            if (System.nanoTime() - lastNews > STALL.toNanos()) {
                return end(accepted == null
                        ? "no campaign coordinator answered for " + STALL.toSeconds() + " s (is a worker member up?)"
                        : "no seed finished for " + STALL.toSeconds() + " s (every worker lost?)", null);
            }
            if (accepted == null) {
                submit();
            }
            return Behaviors.same();
        }

        private Behavior<Event> end(String lost, String error) {
            if (finished < total) {
                proxy.tell(new CampaignCoordinator.Cancel(id));
            }
            listener.ended(lost, error);
            return Behaviors.stopped();
        }
    }
}
