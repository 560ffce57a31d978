package org.ioreqsim.sim.run.fleet;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.ioreqsim.sim.scenario.HostTemplate;

/**
 * The submitter's side of a fleet run, an actor on the submitting member: sends every host its
 * {@link FleetHost.Start}, gathers the hosts' {@link FleetEvent}s, and completes with every host's
 * figures, or why it has none: it failed, its member left the cluster before it finished, or no member
 * took it in time. It never waits on a host that cannot answer any more.
 */
final class FleetCollector {
    private FleetCollector() {
    }

    /** Ctrl-C: every host still running ends early. */
    record StopAll() implements NoSerializationVerificationNeeded {
    }

    /** The time by which every host must have started. */
    record StartLimit() implements NoSerializationVerificationNeeded {
    }

    /** How a host's part of the run ended: its figures, or (figures null) one line on why it has none. */
    record HostOutcome(String host, String member, HostFigures figures, String lost) {
    }

    /** Counters the submitting thread reads while the run goes on. */
    static final class Counters {
        final AtomicLong completed = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong progress = new AtomicLong();
    }

    private static final class HostState {
        final String name;
        String member;
        long completed;
        HostOutcome outcome;

        HostState(String name) {
            this.name = name;
        }
    }

    static Behavior<Object> create(String runId, List<HostTemplate.Host> hosts, boolean deterministic,
                                   ActorRef<ShardingEnvelope<FleetHost.Command>> region, Duration startLimit,
                                   Counters counters, CompletableFuture<List<HostOutcome>> done) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Map<String, HostState> state = new LinkedHashMap<>();
            ActorRef<FleetEvent> self = ctx.getSelf().narrow();
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf().narrow(),
                    ClusterEvent.MemberRemoved.class));
            for (HostTemplate.Host h : hosts) {
                state.put(h.name(), new HostState(h.name()));
                region.tell(new ShardingEnvelope<>(h.name(), new FleetHost.Start(runId, h.scenario(), deterministic,
                        self)));
                counters.sent.incrementAndGet();
            }
            timers.startSingleTimer(new StartLimit(), startLimit);
            Runnable check = () -> {
                if (state.values().stream().allMatch(s -> s.outcome != null) && !done.isDone()) {
                    done.complete(state.values().stream().map(s -> s.outcome).toList());
                }
            };
            return Behaviors.receive(Object.class)
                    .onMessage(FleetEvent.class, e -> {
                        counters.received.incrementAndGet();
                        if (!runId.equals(e.runId())) {
                            return Behaviors.same();
                        }
                        HostState s = state.get(e.host());
                        if (s == null || s.outcome != null) {
                            return Behaviors.same();
                        }
                        if (e instanceof FleetEvent.HostStarted x) {
                            s.member = x.member();
                        } else if (e instanceof FleetEvent.HostProgress x) {
                            counters.progress.incrementAndGet();
                            counters.completed.addAndGet(x.completed() - s.completed);
                            s.completed = x.completed();
                        } else if (e instanceof FleetEvent.HostFinished x) {
                            counters.completed.addAndGet(x.figures().completed() - s.completed);
                            s.completed = x.figures().completed();
                            s.outcome = new HostOutcome(s.name, x.figures().member(), x.figures(), null);
                        } else if (e instanceof FleetEvent.HostFailed x) {
                            s.outcome = new HostOutcome(s.name, x.member(), null, x.reason());
                        }
                        check.run();
                        return done.isDone() ? Behaviors.<Object>stopped() : Behaviors.<Object>same();
                    })
                    .onMessage(ClusterEvent.MemberRemoved.class, r -> {
                        String gone = hostPort(r.member().address());
                        for (HostState s : state.values()) {
                            if (s.outcome == null && gone.equals(s.member)) {
                                s.outcome = new HostOutcome(s.name, s.member, null, "its member " + gone
                                        + " left the cluster before the host finished");
                            }
                        }
                        check.run();
                        return done.isDone() ? Behaviors.<Object>stopped() : Behaviors.<Object>same();
                    })
                    .onMessage(StartLimit.class, t -> {
                        for (HostState s : state.values()) {
                            if (s.outcome == null && s.member == null) {
                                s.outcome = new HostOutcome(s.name, "-", null, "no member took the host within "
                                        + startLimit.toSeconds() + " s");
                            }
                        }
                        check.run();
                        return done.isDone() ? Behaviors.<Object>stopped() : Behaviors.<Object>same();
                    })
                    .onMessage(StopAll.class, t -> {
                        List<String> running = new ArrayList<>();
                        state.values().stream().filter(s -> s.outcome == null).forEach(s -> running.add(s.name));
                        for (String h : running) {
                            region.tell(new ShardingEnvelope<>(h, new FleetHost.Stop(runId)));
                            counters.sent.incrementAndGet();
                        }
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    static String hostPort(akka.actor.Address a) {
        return a.getHost().orElse("?") + ":" + a.getPort().map(String::valueOf).orElse("?");
    }
}
