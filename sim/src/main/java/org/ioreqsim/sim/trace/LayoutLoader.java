package org.ioreqsim.sim.trace;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ioreqsim.domain.InterceptSpec;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.sim.UserInputException;

/**
 * Reads a {@link TraceLayout} from a HOCON file or one of the built-in presets ({@code qemu-i440fx},
 * {@code qemu-q35}, kept as resources in the same format), checking every key: unknown keys, missing
 * ones, bad numbers, ranges that overflow or overlap are one-line errors naming the file, the line and
 * the key. docs/traces.md describes the format.
 */
public final class LayoutLoader {
    /** The built-in layouts. */
    public static final List<String> PRESETS = List.of("qemu-i440fx", "qemu-q35");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern BDF = Pattern.compile("(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})"
            + "\\.([0-7])");

    private LayoutLoader() {
    }

    /**
     * {@code auto} ({@link AutoLayout}, derived from {@code trace}), a preset name, or else a file path.
     * {@code null} means {@code auto}.
     */
    public static TraceLayout load(String nameOrFile, QemuTrace trace) {
        return nameOrFile == null || nameOrFile.equals(AutoLayout.NAME) ? AutoLayout.derive(trace) : load(nameOrFile);
    }

    /** A preset name, or else a file path. */
    public static TraceLayout load(String nameOrFile) {
        if (PRESETS.contains(nameOrFile)) {
            return preset(nameOrFile);
        }
        Path p = Path.of(nameOrFile);
        if (!Files.isRegularFile(p)) {
            throw new UserInputException("--layout: '" + nameOrFile + "' is neither auto, a preset (" + String.join(", ",
                    PRESETS) + ") nor a readable file");
        }
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            return parse(nameOrFile, r);
        } catch (IOException e) {
            throw new UserInputException(nameOrFile + ": cannot read: " + e.getMessage());
        }
    }

    public static TraceLayout preset(String name) {
        InputStream in = LayoutLoader.class.getResourceAsStream(name + ".conf");
        if (in == null) {
            throw new IllegalStateException("preset " + name + " is missing from the build");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(name + ".conf", r);
        } catch (IOException e) {
            throw new IllegalStateException("preset " + name + ": " + e.getMessage(), e);
        }
    }

    /** Parses layout text; {@code file} names it in messages. */
    static TraceLayout parse(String file, Reader text) {
        ConfigObject root;
        try {
            root = ConfigFactory.parseReader(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription(file)).resolve().root();
        } catch (ConfigException e) {
            throw new UserInputException(oneLine(e.getMessage()));
        }
        HoconNode top = new HoconNode(file, "", root).onlyKeys("name", "description", "xen", "qemu");
        HoconNode xen = top.child("xen").onlyKeys("stdvga", "intercepts");
        HoconNode qemu = top.child("qemu").onlyKeys("ports", "mmio", "pci");
        List<InterceptSpec> intercepts = new ArrayList<>();
        for (HoconNode n : xen.list("intercepts")) {
            intercepts.add(intercept(n));
        }
        List<FixedRegion> ports = regions(qemu.list("ports"), "start", TraceAccess.MAX_PORT);
        List<FixedRegion> mmio = regions(qemu.list("mmio"), "start", -1L);
        List<PciFunctionLayout> pci = new ArrayList<>();
        Set<Long> sbdfs = new HashSet<>();
        for (HoconNode n : qemu.list("pci")) {
            PciFunctionLayout f = pciFunction(n);
            if (!sbdfs.add(f.sbdf())) {
                throw n.error("bdf", Pci.describeSbdf(f.sbdf()) + " is listed twice");
            }
            pci.add(f);
        }
        return new TraceLayout(top.string("name"), top.string("description", ""), xen.bool("stdvga", true),
                intercepts, ports, mmio, pci);
    }

    private static InterceptSpec intercept(HoconNode n) {
        n.onlyKeys("name", "port", "mmio", "length", "write-only");
        String name = name(n);
        if (n.has("port") == n.has("mmio")) {
            throw n.error(null, "give exactly one of port or mmio");
        }
        boolean mmio = n.has("mmio");
        long start = mmio ? n.number("mmio") : n.number("port", 0, TraceAccess.MAX_PORT);
        long length = n.number("length", 1, mmio ? Long.MAX_VALUE : TraceAccess.MAX_PORT + 1);
        checkEnd(n, start, length, mmio ? -1L : TraceAccess.MAX_PORT);
        InterceptSpec spec = mmio ? InterceptSpec.mmio(name, start, length) : InterceptSpec.port(name, start, length);
        return n.bool("write-only", false) ? spec.asWriteOnly() : spec;
    }

    /** Regions at {@code startKey}, each within {@code [0, limit]}, none overlapping another. */
    static List<FixedRegion> regions(List<HoconNode> nodes, String startKey, long limit) {
        List<FixedRegion> out = new ArrayList<>();
        for (HoconNode n : nodes) {
            n.onlyKeys("name", startKey, "length");
            long start = n.number(startKey);
            long length = n.number("length", 1, Long.MAX_VALUE);
            checkEnd(n, start, length, limit);
            FixedRegion r = new FixedRegion(n.string("name"), start, length);
            for (FixedRegion o : out) {
                if (o.overlaps(r)) {
                    throw n.error(startKey, "'" + r.name() + "' overlaps '" + o.name() + "'");
                }
            }
            out.add(r);
        }
        return out;
    }

    private static PciFunctionLayout pciFunction(HoconNode n) {
        n.onlyKeys("bdf", "name", "bars", "windows");
        long sbdf = sbdf(n);
        List<DecodeWindow> windows = new ArrayList<>();
        for (HoconNode b : n.list("bars")) {
            windows.add(PciWindows.bar(b));
        }
        for (HoconNode w : n.list("windows")) {
            windows.add(PciWindows.window(w));
        }
        Set<Integer> registers = new HashSet<>();
        for (DecodeWindow w : windows) {
            if (!registers.add(w.register())) {
                throw n.error(null, "two windows use config register 0x" + Integer.toHexString(w.register()));
            }
        }
        return new PciFunctionLayout(sbdf, n.string("name"), windows);
    }

    private static long sbdf(HoconNode n) {
        Matcher m = BDF.matcher(n.string("bdf"));
        if (!m.matches()) {
            throw n.error("bdf", "'" + n.string("bdf") + "' is not bus:device.function (e.g. \"00:1f.3\")");
        }
        int seg = m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16);
        int dev = Integer.parseInt(m.group(3), 16);
        if (dev > 0x1F) {
            throw n.error("bdf", "device 0x" + Integer.toHexString(dev) + " is above 0x1f");
        }
        return Pci.sbdf(seg, Integer.parseInt(m.group(2), 16), dev, Integer.parseInt(m.group(4)));
    }

    static String name(HoconNode n) {
        String s = n.string("name");
        if (!NAME.matcher(s).matches()) {
            throw n.error("name", "'" + s + "' must be lower-case letters, digits and dashes (it becomes xen-" + s
                    + ")");
        }
        return s;
    }

    /** {@code start + length - 1} must not wrap and must stay at or below {@code limit} (unsigned). */
    static void checkEnd(HoconNode n, long start, long length, long limit) {
        long end = start + length - 1;
        if (Long.compareUnsigned(end, start) < 0 || Long.compareUnsigned(end, limit) > 0) {
            throw n.error("length", "0x" + Long.toHexString(start) + " + 0x" + Long.toHexString(length)
                    + " runs past 0x" + Long.toHexString(limit));
        }
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replaceAll("\\s*\\R\\s*", " ");
    }
}
