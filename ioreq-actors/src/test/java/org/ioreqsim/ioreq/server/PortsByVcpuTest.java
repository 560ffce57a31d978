package org.ioreqsim.ioreq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The started emulator's ports by vCPU: a map in vCPU order, whatever order it was given in. */
class PortsByVcpuTest {

    @Test
    void readsAsTheSortedMapItWasBuiltFrom() {
        Map<Integer, Integer> given = new HashMap<>(Map.of(100, 7, 3, 5, 0, 9, 64, 6));
        PortsByVcpu ports = PortsByVcpu.copyOf(given);

        assertEquals(new TreeMap<>(given), ports);
        assertEquals(new TreeMap<>(given).hashCode(), ports.hashCode());
        assertEquals("{0=9, 3=5, 64=6, 100=7}", ports.toString(), "vCPU order, as a TreeMap prints");
        assertEquals(List.of(0, 3, 64, 100), List.copyOf(ports.keySet()));
        assertEquals(5, ports.get(3));
        assertNull(ports.get(4));
        assertNull(ports.get("3"));
        assertTrue(ports.containsKey(100));
        assertFalse(ports.containsKey(101));
        assertSame(ports, PortsByVcpu.copyOf(ports), "immutable, so a copy of one is itself");
        assertThrows(UnsupportedOperationException.class, () -> ports.put(1, 1));
    }

    @Test
    void leavesOutTheVcpusWithNoPort() {
        PortsByVcpu ports = PortsByVcpu.of(new int[] {4, -1, -1, 8}, -1);

        assertEquals(Map.of(0, 4, 3, 8), ports);
        assertEquals(2, ports.size());
    }

    @Test
    void startedKeepsItsPortsInVcpuOrderAndRoundTripsThroughJackson() throws Exception {
        Map<Integer, Integer> given = new HashMap<>(Map.of(2, 12, 1, 11));
        EmulatorEvent.Started started = new EmulatorEvent.Started(1, 0, 3, given);
        given.put(5, 15);

        assertEquals("{1=11, 2=12}", started.localPorts().toString(), "a copy, in vCPU order");
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(started);
        assertEquals(started, json.readValue(text, EmulatorEvent.Started.class), text);
    }
}
