package org.ioreqsim.sim.stress.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ioreqsim.sim.cluster.ClusterSettings;
import org.ioreqsim.sim.stress.StressConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The campaign protocol in one JVM (coordinator, one worker, client; no cluster): a seed the harness cannot run
 * ends the campaign at once with the seed, the member and the error, as a local run ends with an internal error;
 * it is not handed from worker to worker until every worker is gone and the campaign is reported as lost.
 */
class CampaignSeedFailureTest {
    /** The workers' pinned dispatcher, as a member configures it (a worker's schedules must run on one thread). */
    private static final ActorTestKit KIT = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString(
            ClusterSettings.PINNED_DISPATCHER + " { type = PinnedDispatcher, executor = thread-pool-executor }"));

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void aSeedThatCannotRunEndsTheCampaignWithItsError() throws Exception {
        ActorRef<CampaignCoordinator.Command> coordinator = KIT.spawn(CampaignCoordinator.create());
        KIT.spawn(StressWorker.create(coordinator, "127.0.0.1:1"), "worker-1",
                akka.actor.typed.DispatcherSelector.fromConfig(ClusterSettings.PINNED_DISPATCHER));
        // a strategy no worker knows: runSeed throws on the first seed (the CLI refuses it before a campaign starts)
        Ended broken = campaign("c1", coordinator, StressConfig.defaults().withStrategy("no-such-strategy", 3));
        String[] end = broken.end.get(30, TimeUnit.SECONDS);
        assertNull(end[0], "not lost: the worker is alive");
        assertTrue(end[1].startsWith("seed 1 could not be run on 127.0.0.1:1 ("), end[1]);
        assertTrue(end[1].contains("no-such-strategy"), end[1]);
        assertEquals(List.of(), broken.seeds);

        // the same worker then runs the next campaign to its end
        Ended next = campaign("c2", coordinator, StressConfig.defaults().withShape(1, 2, 2, 8));
        end = next.end.get(60, TimeUnit.SECONDS);
        assertNull(end[0]);
        assertNull(end[1]);
        assertEquals(List.of(1L, 2L, 3L, 4L), next.seeds.stream().sorted().toList());
    }

    private static Ended campaign(String id, ActorRef<CampaignCoordinator.Command> coordinator, StressConfig cfg) {
        Ended e = new Ended();
        KIT.spawn(CampaignClient.create(id, cfg, List.of(new SeedRange(1, 4)), 2, coordinator, e));
        return e;
    }

    /** What a client's listener was told (on the client actor's thread). */
    private static final class Ended implements CampaignClient.Listener {
        final List<Long> seeds = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<String[]> end = new CompletableFuture<>();

        @Override
        public void seed(CampaignClient.SeedDone done, boolean first, int finished) {
            seeds.add(done.summary().seed());
        }

        @Override
        public void ended(String lost, String error) {
            end.complete(new String[] {lost, error});
        }
    }
}
