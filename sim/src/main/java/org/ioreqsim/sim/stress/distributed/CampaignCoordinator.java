package org.ioreqsim.sim.stress.distributed;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ioreqsim.sim.cluster.ClusterMessage;
import org.ioreqsim.sim.stress.SeedSummary;
import org.ioreqsim.sim.stress.StressConfig;

/**
 * The campaign coordinator, one per cluster (a cluster singleton on the worker members): it holds the seed
 * ranges of the submitted campaigns and hands them out to the workers that ask for work (work pulling: a
 * worker asks when idle, so a fast member takes more ranges than a slow one). Each seed's summary goes from
 * the worker through here to the submitting client. A worker that dies, or whose member is downed, has the
 * unfinished seeds of its range put back at the head of the queue; a seed that then runs twice reaches the
 * client twice and is counted there once.
 *
 * <p>If the coordinator itself is lost (its member dies), the singleton starts again on the oldest member with
 * no campaigns: each client watches the coordinator that accepted its campaign and submits its unfinished
 * seeds again.
 */
public final class CampaignCoordinator extends AbstractBehavior<CampaignCoordinator.Command> {

    /** Messages to the coordinator. */
    public sealed interface Command extends ClusterMessage {
    }

    /**
     * Run {@code seeds} of {@code config}, handed out in ranges of {@code rangeSize}; summaries to {@code client}.
     * A repeated submit of a campaign this coordinator holds only repeats the answer.
     */
    public record Submit(String campaignId, StressConfig config, List<SeedRange> seeds, int rangeSize,
                         ActorRef<CampaignClient.Event> client) implements Command {
    }

    /** Stop handing out the campaign's ranges (the client was interrupted or finished). */
    public record Cancel(String campaignId) implements Command {
    }

    /** {@code worker} is idle: it finished range {@code finishedRange} (-1: none yet) and asks for the next. */
    public record RequestWork(ActorRef<StressWorker.Command> worker, long finishedRange) implements Command {
    }

    /** One seed's summary, from the worker that ran it on member {@code member} in {@code nanos}. */
    public record SeedFinished(String campaignId, SeedSummary summary, String member, String worker, long nanos)
            implements Command {
    }

    /**
     * Seed {@code seed} could not be run: the harness threw {@code error} on {@code member} (a broken model is a
     * violation, not this; this is what ends a local run with an internal error). The campaign ends.
     */
    public record SeedFailed(String campaignId, long seed, String member, String worker, String error)
            implements Command {
    }

    /** A watched worker stopped (its member died, was downed, or left). */
    public record WorkerLost(ActorRef<StressWorker.Command> worker) implements Command {
    }

    /** A watched client stopped. */
    public record ClientLost(String campaignId) implements Command {
    }

    /** A campaign in progress. */
    private static final class Campaign {
        final String id;
        final StressConfig config;
        final ActorRef<CampaignClient.Event> client;
        final Deque<SeedRange> pending;
        final long base;
        final BitSet done = new BitSet();
        final int total;
        int finished;

        Campaign(Submit s) {
            id = s.campaignId();
            config = s.config();
            client = s.client();
            pending = new ArrayDeque<>(SeedRange.split(s.seeds(), Math.max(1, s.rangeSize())));
            base = s.seeds().stream().mapToLong(SeedRange::first).min().orElse(0);
            total = s.seeds().stream().mapToInt(SeedRange::count).sum();
        }
    }

    /** A range handed to a worker. */
    private record InFlight(String campaignId, SeedRange range, long id) {
    }

    private final Map<String, Campaign> campaigns = new LinkedHashMap<>();
    private final Map<ActorRef<StressWorker.Command>, InFlight> busy = new HashMap<>();
    private final Set<ActorRef<StressWorker.Command>> idle = new LinkedHashSet<>();
    private final Set<ActorRef<StressWorker.Command>> watched = new java.util.HashSet<>();
    private long nextRangeId = 1;

    public static Behavior<Command> create() {
        return Behaviors.setup(CampaignCoordinator::new);
    }

    private CampaignCoordinator(ActorContext<Command> context) {
        super(context);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Submit.class, this::onSubmit)
                .onMessage(Cancel.class, c -> drop(c.campaignId()))
                .onMessage(ClientLost.class, c -> drop(c.campaignId()))
                .onMessage(RequestWork.class, this::onRequestWork)
                .onMessage(SeedFinished.class, this::onSeedFinished)
                .onMessage(SeedFailed.class, this::onSeedFailed)
                .onMessage(WorkerLost.class, this::onWorkerLost)
                .build();
    }

    private Behavior<Command> onSubmit(Submit s) {
        if (!campaigns.containsKey(s.campaignId())) {
            Campaign c = new Campaign(s);
            campaigns.put(c.id, c);
            getContext().watchWith(s.client(), new ClientLost(c.id));
        }
        s.client().tell(new CampaignClient.Accepted(s.campaignId(), getContext().getSelf()));
        dispatch();
        return this;
    }

    private Behavior<Command> drop(String campaignId) {
        campaigns.remove(campaignId);
        return this;
    }

    private Behavior<Command> onRequestWork(RequestWork r) {
        if (watched.add(r.worker())) {
            getContext().watchWith(r.worker(), new WorkerLost(r.worker()));
        }
        InFlight f = busy.get(r.worker());
        if (f != null && f.id() != r.finishedRange()) {
            return this; // a repeated request that crossed the range on its way: the worker is busy
        }
        busy.remove(r.worker());
        idle.add(r.worker());
        dispatch();
        return this;
    }

    private Behavior<Command> onSeedFinished(SeedFinished f) {
        Campaign c = campaigns.get(f.campaignId());
        if (c == null) {
            return this;
        }
        c.client.tell(new CampaignClient.SeedDone(c.id, f.summary(), f.member(), f.worker(), f.nanos()));
        int i = (int) (f.summary().seed() - c.base);
        if (!c.done.get(i)) {
            c.done.set(i);
            c.finished++;
        }
        if (c.finished == c.total) {
            campaigns.remove(c.id);
        }
        return this;
    }

    private Behavior<Command> onSeedFailed(SeedFailed f) {
        Campaign c = campaigns.remove(f.campaignId());
        if (c != null) {
            c.client.tell(new CampaignClient.SeedFailed(c.id, f.seed(), f.member(), f.worker(), f.error()));
        }
        return this;
    }

    private Behavior<Command> onWorkerLost(WorkerLost w) {
        watched.remove(w.worker());
        idle.remove(w.worker());
        InFlight f = busy.remove(w.worker());
        Campaign c = f == null ? null : campaigns.get(f.campaignId());
        if (c != null) {
            List<SeedRange> rest = SeedRange.missing(List.of(f.range()), c.done, c.base);
            for (int i = rest.size() - 1; i >= 0; i--) {
                c.pending.addFirst(rest.get(i));
            }
            dispatch();
        }
        return this;
    }

    /** Hands pending ranges to idle workers, campaigns in submission order. */
    private void dispatch() {
        while (!idle.isEmpty()) {
            Campaign c = campaigns.values().stream().filter(x -> !x.pending.isEmpty()).findFirst().orElse(null);
            if (c == null) {
                return;
            }
            ActorRef<StressWorker.Command> w = idle.iterator().next();
            idle.remove(w);
            InFlight f = new InFlight(c.id, c.pending.poll(), nextRangeId++);
            busy.put(w, f);
            w.tell(new StressWorker.RunRange(c.id, c.config, f.range(), f.id(), getContext().getSelf()));
        }
    }
}
