package org.ioreqsim.sim.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The controlled executor's lanes: keys listed in sorted order whatever the submission order, FIFO per key. */
class ReadyLanesTest {

    @Test
    void keysAreSortedWhateverOrderTheyArriveInAndEachLaneIsFifo() {
        ReadyLanes lanes = new ReadyLanes();
        Runnable a1 = () -> { };
        Runnable a2 = () -> { };
        Runnable b = () -> { };
        Runnable t = () -> { };
        lanes.add("xen/domain-2/vcpu-0", b);
        lanes.add(ControlledExecutor.TASKS, t);
        lanes.add("xen/domain-10", a1);
        lanes.add("xen/domain-10", a2);
        assertEquals(List.of("xen/domain-10", "xen/domain-2/vcpu-0", ControlledExecutor.TASKS), lanes.keys(),
                "string order, as the sorted map kept them (the stress digests depend on it)");
        assertEquals("xen/domain-10", lanes.firstKey());
        assertSame(a1, lanes.poll("xen/domain-10"));
        assertTrue(lanes.contains("xen/domain-10"), "a lane with a runnable left stays listed");
        assertSame(a2, lanes.poll("xen/domain-10"));
        assertFalse(lanes.contains("xen/domain-10"), "an emptied lane leaves the list");
        assertEquals(List.of("xen/domain-2/vcpu-0", ControlledExecutor.TASKS), lanes.keys());
        assertNull(lanes.poll("xen/domain-10"));
        assertSame(b, lanes.poll("xen/domain-2/vcpu-0"));
        assertSame(t, lanes.poll(ControlledExecutor.TASKS));
        assertTrue(lanes.isEmpty());
    }
}
