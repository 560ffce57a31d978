package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.List;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An internal MMIO emulator (spec 5 step 6; Xen's {@code hvm_mmio_accept}, intercept.c): it takes an
 * access whose first byte is in its range; one whose last byte runs past the range crashes the domain
 * ({@code domain_crash}). Added after mutation run E1 (docs/testing.md): the model modules' tests had
 * internal port emulators only, so {@code InternalIntercepts.Handler}'s MMIO accept never ran.
 */
class InternalMmioInterceptTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    @Test
    void anMmioEmulatorTakesItsRangeAndAnAccessRunningPastItCrashesTheDomain() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(DomainConfig.guest("g", 1, XenOptions.SEED)
                .withIntercepts(List.of(InterceptSpec.mmio("hpet", 0xFED00000L, 0x400))));
        Outcome w = xen.run(d, 0, GuestOp.Io.mmioWrite(0xFED003FCL, 4, 0xCAFE));
        assertEquals(Route.xen("hpet"), w.route(), "the last four bytes of the range");
        assertEquals(0xCAFEL, xen.run(d, 0, GuestOp.Io.mmioRead(0xFED003FCL, 4)).value());
        assertEquals(Route.NULL_HANDLER, xen.run(d, 0, GuestOp.Io.mmioRead(0xFED00400L, 4)).route(),
                "the first byte past the range: not the emulator's");
        assertEquals(Route.NULL_HANDLER, xen.run(d, 0, GuestOp.Io.mmioRead(0xFECFFFFEL, 4)).route(),
                "first byte before the range: not accepted, whatever the last byte");
        assertEquals(Outcome.Kind.DOMAIN_CRASHED, xen.run(d, 0, GuestOp.Io.mmioRead(0xFED003FEL, 4)).kind());
        DomainSnapshot snap = xen.inspect(d);
        assertEquals(DomainState.CRASHED, snap.state());
        assertEquals("MMIO access runs past internal handler hpet", snap.crashReason());
    }
}
