package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import org.ioreqsim.ioreq.Result;

/** Toolstack pause helpers for tests. */
final class TestUnpause {
    private TestUnpause() {
    }

    static void unpause(XenFixture xen, int domid) {
        TestProbe<Result<Long>> p = xen.kit.createTestProbe();
        xen.domain(domid).tell(new Domain.Unpause(p.ref()));
        assertTrue(p.receiveMessage().isOk());
    }

    static void pause(XenFixture xen, int domid) {
        TestProbe<akka.Done> p = xen.kit.createTestProbe();
        xen.domain(domid).tell(new Domain.Pause(p.ref()));
        p.receiveMessage();
    }
}
