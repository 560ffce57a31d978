package org.ioreqsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ioreqsim.domain.InterceptSpec;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.sim.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayoutLoaderTest {
    static final String MINIMAL = """
            name = tiny
            xen { intercepts = [ { name = pit, port = 0x40, length = 4 } ] }
            qemu {
              ports = [ { name = serial, start = 0x3f8, length = 8 } ]
              mmio = [ { name = hpet, start = 0xfed00000, length = 0x400 } ]
              pci = [ { bdf = "00:03.0", name = e1000, bars = [ { bar = 1, type = io, size = 64 } ] } ]
            }
            """;

    @Test
    void presetsMatchXensAndQemusAddresses() {
        TraceLayout pc = LayoutLoader.preset("qemu-i440fx");
        assertTrue(pc.stdvga());
        assertTrue(pc.intercepts().contains(InterceptSpec.port("pit", 0x40, 4)));
        assertTrue(pc.intercepts().contains(InterceptSpec.mmio("hpet", 0xFED00000L, 0x400)));
        assertTrue(pc.intercepts().contains(InterceptSpec.port("pmtimer", 0xB008, 4)));
        assertTrue(pc.ports().contains(new FixedRegion("pci-conf-data", 0xCFC, 4)));
        assertEquals(List.of("i440FX", "PIIX3", "piix3-ide", "PIIX4_PM", "VGA", "e1000"),
                pc.pci().stream().map(PciFunctionLayout::name).toList());
        TraceLayout q35 = LayoutLoader.preset("qemu-q35");
        PciFunctionLayout mch = q35.pci().get(0);
        assertEquals(Pci.sbdf(0, 0, 0, 0), mch.sbdf());
        assertTrue(mch.windows().get(0).ecam());
        assertEquals(Pci.sbdf(0, 0, 0x1F, 3), q35.pci().get(q35.pci().size() - 1).sbdf());
    }

    @Test
    void minimalLayoutParses() {
        TraceLayout l = LayoutLoader.parse("tiny.conf", new StringReader(MINIMAL));
        assertEquals("tiny", l.name());
        assertEquals(List.of(InterceptSpec.port("pit", 0x40, 4)), l.intercepts());
        assertEquals(List.of(new FixedRegion("serial", 0x3F8, 8)), l.ports());
        DecodeWindow bar = l.pci().get(0).windows().get(0);
        assertEquals(0x14, bar.register());
        assertEquals(0xFFFFFFC0L, bar.mask());
        assertEquals(List.of(new FixedRegion("bar1", 0, 64)), bar.regions());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name = x, xen {}, qemu {}, extra = 1 | t.conf:1: extra: unknown key (expected one of description, name, "
                + "qemu, xen)",
        "name = x\\nxen {}\\nqemu { ports = [ { name = a, start = 0x10, lenght = 2 } ] } | t.conf:3: "
                + "qemu.ports[0].lenght: unknown key (expected one of length, name, start)",
        "name = x\\nxen {}\\nqemu { ports = [ { name = a, start = 0x10, length = 0 } ] } | t.conf:3: "
                + "qemu.ports[0].length: 0x0 is out of range 0x1..0x7fffffffffffffff",
        "name = x\\nxen {}\\nqemu { ports = [ { name = a, start = 0xfff0, length = 0x20 } ] } | t.conf:3: "
                + "qemu.ports[0].length: 0xfff0 + 0x20 runs past 0xffff",
        "name = x\\nxen {}\\nqemu { ports = [ { name = a, start = 0x10, length = 4 }, { name = b, start = 0x12, "
                + "length = 1 } ] } | t.conf:3: qemu.ports[1].start: 'b' overlaps 'a'",
        "name = x\\nxen { intercepts = [ { name = PIT, port = 0x40, length = 4 } ] }\\nqemu {} | t.conf:2: "
                + "xen.intercepts[0].name: 'PIT' must be lower-case letters, digits and dashes (it becomes xen-PIT)",
        "name = x\\nxen { intercepts = [ { name = pit, length = 4 } ] }\\nqemu {} | t.conf:2: xen.intercepts[0]: "
                + "give exactly one of port or mmio",
        "name = x\\nxen {}\\nqemu { pci = [ { bdf = \"00:20.0\", name = a } ] } | t.conf:3: qemu.pci[0].bdf: "
                + "device 0x20 is above 0x1f",
        "name = x\\nxen {}\\nqemu { pci = [ { bdf = \"0:3\", name = a } ] } | t.conf:3: qemu.pci[0].bdf: "
                + "'0:3' is not bus:device.function (e.g. \"00:1f.3\")",
        "name = x\\nxen {}\\nqemu { pci = [ { bdf = \"00:03.0\", name = a, bars = [ { bar = 1, type = io, "
                + "size = 48 } ] } ] } | t.conf:3: qemu.pci[0].bars[0].size: 0x30 is not a power of two",
        "name = x\\nxen {}\\nqemu { mmio = [ { name = a, start = ten, length = 1 } ] } | t.conf:3: "
                + "qemu.mmio[0].start: 'ten' is not a number (decimal or 0x hex)",
        "name = x\\nqemu {} | t.conf:1: xen: missing",
    })
    void badLayoutsGiveOneLineNamingFileLineAndKey(String text, String message) {
        UserInputException e = assertThrows(UserInputException.class,
                () -> LayoutLoader.parse("t.conf", new StringReader(text.replace("\\n", "\n"))));
        assertEquals(message, e.getMessage());
    }

    @Test
    void syntaxErrorIsOneLine() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> LayoutLoader.parse("t.conf", new StringReader("name = x\nxen {\n")));
        assertTrue(e.getMessage().startsWith("t.conf: 3: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aFileCanExtendAPreset(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mine.conf");
        Files.writeString(f, """
                include classpath("org/ioreqsim/sim/trace/qemu-q35.conf")
                name = mine
                qemu.pci += { bdf = "00:05.0", name = virtio-rng-pci }
                """);
        TraceLayout l = LayoutLoader.load(f.toString());
        assertEquals("mine", l.name());
        assertEquals(LayoutLoader.preset("qemu-q35").pci().size() + 1, l.pci().size());
    }

    @Test
    void unknownLayoutNameIsAnError() {
        assertEquals("--layout: 'qemu-isapc' is neither auto, a preset (qemu-i440fx, qemu-q35) nor a readable file",
                assertThrows(UserInputException.class, () -> LayoutLoader.load("qemu-isapc")).getMessage());
    }
}
