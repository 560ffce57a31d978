package org.ioreqsim.ioreq.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.junit.jupiter.api.Test;

/**
 * Spec 3.1 and 7.1 step 5: Xen copies the latched request into the vCPU's slot with the entry's port
 * and the state it publishes; writing the port and state while copying gives the slot the same words
 * as storing the rewritten copy, and leaves the other vCPUs' slots alone.
 */
class IoreqPageTest {

    @Test
    void storingWithPortAndStateWritesTheRewrittenRequest() {
        Ioreq latched = new Ioreq(0xE0000FF8L, 0x1122334455667788L, 3, 8, 0, IoreqState.READY, true,
                IoDirection.READ, true, IoreqType.COPY);
        IoreqPage copied = new IoreqPage(new MachineMemory().allocate(0));
        IoreqPage direct = new IoreqPage(new MachineMemory().allocate(0));

        copied.store(5, latched.withPortAndState(41, IoreqState.INPROCESS));
        direct.store(5, latched, 41, IoreqState.INPROCESS);

        assertEquals(latched.withPortAndState(41, IoreqState.INPROCESS), direct.load(5));
        assertEquals(copied.load(5), direct.load(5));
        for (int w = 0; w < 4 * 8; w++) {
            assertEquals(copied.page().get(w), direct.page().get(w), "word " + w);
        }
        assertEquals(Ioreq.ZERO, direct.load(4));
        assertEquals(Ioreq.ZERO, direct.load(6));
    }
}
