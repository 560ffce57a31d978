package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import java.util.List;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.vcpu.DomainMessage;
import org.ioreqsim.vcpu.Vcpu;
import org.ioreqsim.vcpu.WorkloadFactory;
import org.junit.jupiter.api.Test;

/**
 * Spec 17 ({@code domain_pause} = tell the vCPUs, wait for them) and 10.2 step 4: vCPUs that have never
 * been given guest code are down, so a pause waits for none of them and tells them nothing until their
 * first start, which it precedes. Run synchronously (BehaviorTestKit): every message a vCPU would get
 * is in its inbox.
 */
class DownVcpusPauseTest {

    @Test
    void aPauseOfANeverStartedDomainIsInEffectAtOnceAndReachesTheVcpusAheadOfTheirStart() {
        BehaviorTestKit<DomainMessage> domain = BehaviorTestKit.create(
                Domain.create(1, DomainConfig.guest("g", 2, XenOptions.SEED), new Host(), WorkloadFactory.IDLE));
        TestInbox<Vcpu.Command> vcpu0 = domain.childInbox("vcpu-0");
        TestInbox<Vcpu.Command> vcpu1 = domain.childInbox("vcpu-1");

        TestInbox<Done> paused = TestInbox.create();
        domain.run(new Domain.Pause(paused.getRef()));
        assertEquals(List.of(Done.getInstance()), paused.getAllReceived(), "in effect without an acknowledgement");
        assertFalse(vcpu0.hasMessages(), "a down vCPU is not told");
        assertFalse(vcpu1.hasMessages());

        domain.run(Domain.StartVcpus.INSTANCE);
        for (TestInbox<Vcpu.Command> v : List.of(vcpu0, vcpu1)) {
            List<Vcpu.Command> got = v.getAllReceived();
            assertEquals(2, got.size(), got.toString());
            assertInstanceOf(Vcpu.Pause.class, got.get(0), "the pause that holds comes first");
            assertEquals(Vcpu.Start.INSTANCE, got.get(1));
        }

        TestInbox<Result<Long>> unpaused = TestInbox.create();
        domain.run(new Domain.Unpause(unpaused.getRef()));
        assertTrue(unpaused.receiveMessage().isOk());
        assertEquals(List.of(Vcpu.Unpause.INSTANCE), vcpu0.getAllReceived());
        assertEquals(List.of(Vcpu.Unpause.INSTANCE), vcpu1.getAllReceived());
    }

    @Test
    void onceStartedAPauseWaitsForEveryVcpu() {
        BehaviorTestKit<DomainMessage> domain = BehaviorTestKit.create(
                Domain.create(1, DomainConfig.guest("g", 2, XenOptions.SEED), new Host(), WorkloadFactory.IDLE));
        TestInbox<Vcpu.Command> vcpu0 = domain.childInbox("vcpu-0");
        domain.run(Domain.StartVcpus.INSTANCE);
        assertEquals(List.of(Vcpu.Start.INSTANCE), vcpu0.getAllReceived());

        TestInbox<Done> paused = TestInbox.create();
        domain.run(new Domain.Pause(paused.getRef()));
        assertFalse(paused.hasMessages(), "not in effect until the vCPUs acknowledge");
        List<Vcpu.Command> got = vcpu0.getAllReceived();
        assertEquals(1, got.size());
        assertInstanceOf(Vcpu.Pause.class, got.get(0));
    }
}
