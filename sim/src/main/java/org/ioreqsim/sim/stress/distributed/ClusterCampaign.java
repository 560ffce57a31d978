package org.ioreqsim.sim.stress.distributed;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.ioreqsim.sim.SimulationException;
import org.ioreqsim.sim.UserInputException;
import org.ioreqsim.sim.cluster.ClusterNode;
import org.ioreqsim.sim.stress.SeedSummary;
import org.ioreqsim.sim.stress.StressReport;
import org.ioreqsim.sim.stress.StressRunner;

/**
 * A stress campaign run by a cluster's workers and merged here: the submitting process (a client member,
 * {@code stress --cluster}) hands the seeds to the coordinator, collects each seed's summary once, and builds
 * the same {@link StressReport} a local run builds ({@link StressRunner#merge}: traces and shrunk
 * counterexamples written here), with the figures of each member. Since each seed's schedule depends on the
 * seed alone, the report (its run digest, violations, findings and coverage) is the local one whatever the
 * number of members and whatever members are lost.
 */
public final class ClusterCampaign {
    /** Seeds per range handed out: about 64 ranges per campaign, 1 to 200 seeds each. */
    static int rangeSize(int seeds) {
        return Math.max(1, Math.min(200, seeds / 64));
    }

    private ClusterCampaign() {
    }

    /**
     * Runs campaign {@code o} on the cluster {@code client} is a member of ({@code o.workers()} is not used: the
     * members offer their workers). {@code progress} is called with the count of finished seeds; {@code stop}
     * (Ctrl-C) ends the campaign early with the finished seeds, marked interrupted (also when Akka's own
     * shutdown hook has already taken this member out of the cluster).
     *
     * A campaign that loses every worker (or this member) after some seeds finished ends with the report of
     * those seeds, which says what was lost ({@link StressReport#lost()}); one that finished none throws.
     *
     * @throws UserInputException no seed finished: no coordinator answered, every worker was lost, or this member
     *                            was removed from the cluster
     * @throws SimulationException a seed could not be run (the harness threw, as a local run's internal error)
     */
    public static StressReport run(ClusterNode client, StressRunner.Options o, IntConsumer progress,
                                   BooleanSupplier stop) {
        Collector collector = new Collector(o, progress);
        ActorRef<CampaignCoordinator.Command> coordinator = StressMembers.coordinator(client.system());
        String id = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        ActorRef<CampaignClient.Event> actor = client.system().systemActorOf(CampaignClient.create(id, o.cfg(),
                List.of(new SeedRange(o.firstSeed(), o.seeds())), rangeSize(o.seeds()), coordinator, collector),
                "stress-campaign-" + id, Props.empty());
        client.whenStopped().thenRun(() -> collector.end.complete(stop.getAsBoolean() ? null
                : "this process was removed from the cluster: " + client.stopReason()
                    + "; was every worker member lost?"));
        String failure = null;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    failure = collector.end.get(100, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (stop.getAsBoolean() && !interrupted) {
                        interrupted = true;
                        actor.tell(CampaignClient.Stop.INSTANCE);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        interrupted |= stop.getAsBoolean();
        if (collector.error != null) {
            throw new SimulationException("the campaign on the cluster failed: " + collector.error);
        }
        if (failure != null && collector.finished == 0) {
            throw new UserInputException("the campaign on the cluster failed: " + failure + "; no seed finished");
        }
        StressReport report = collector.report(o, secs, interrupted || failure != null);
        return failure == null ? report : report.withLost(collector.lost(failure));
    }

    /** Keeps each seed's first summary and the members' figures; written on the client actor's thread only. */
    private static final class Collector implements CampaignClient.Listener {
        /** Completed with why the campaign was lost (null: it finished or was stopped). */
        final CompletableFuture<String> end = new CompletableFuture<>();
        /** A seed that could not be run, set before {@link #end} completes. */
        volatile String error;
        private final SeedSummary[] results;
        private final long first;
        private final IntConsumer progress;
        private final Map<String, long[]> members = new TreeMap<>();
        private final Map<String, Set<String>> workers = new TreeMap<>();
        /** Seeds finished, read by the thread that reports this member's removal. */
        volatile int finished;

        Collector(StressRunner.Options o, IntConsumer progress) {
            this.results = new SeedSummary[o.seeds()];
            this.first = o.firstSeed();
            this.progress = progress;
        }

        @Override
        public void seed(CampaignClient.SeedDone d, boolean isFirst, int finished) {
            long[] m = members.computeIfAbsent(d.member(), k -> new long[4]);
            workers.computeIfAbsent(d.member(), k -> new HashSet<>()).add(d.worker());
            if (isFirst) {
                results[(int) (d.summary().seed() - first)] = d.summary();
                m[0]++;
                m[1] += d.summary().steps();
                this.finished = finished;
                progress.accept(finished);
            } else {
                m[3]++;
            }
            m[2] += d.nanos();
        }

        @Override
        public void ended(String lost, String error) {
            this.error = error;
            end.complete(lost);
        }

        StressReport.Lost lost(String reason) {
            boolean[] done = new boolean[results.length];
            for (int i = 0; i < results.length; i++) {
                done[i] = results[i] != null;
            }
            return StressReport.Lost.of(reason, first, done);
        }

        StressReport report(StressRunner.Options o, double secs, boolean interrupted) {
            List<SeedSummary> done = new ArrayList<>();
            for (SeedSummary s : results) {
                if (s != null) {
                    done.add(s);
                }
            }
            List<StressReport.MemberEntry> entries = new ArrayList<>();
            int total = 0;
            for (Map.Entry<String, long[]> e : members.entrySet()) {
                long[] m = e.getValue();
                int w = workers.get(e.getKey()).size();
                total += w;
                entries.add(new StressReport.MemberEntry(e.getKey(), w, (int) m[0], m[1], m[2] / 1e9, (int) m[3]));
            }
            return StressRunner.merge(o, done, secs, Math.max(1, total), interrupted || done.size() < o.seeds())
                    .withMembers(entries);
        }
    }
}
