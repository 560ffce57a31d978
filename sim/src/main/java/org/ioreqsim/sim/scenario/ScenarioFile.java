package org.ioreqsim.sim.scenario;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.domain.InterceptSpec;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.UserInputException;

/**
 * Reads a simulation scenario file (HOCON, docs/scenarios.md). Every object is checked for unknown
 * keys and every value for its range; the first problem stops with one line naming the file, line
 * and key.
 */
public final class ScenarioFile {
    private final String file;
    private boolean defaultServerAllowed;

    private ScenarioFile(String file) {
        this.file = file;
    }

    public static Scenario load(Path path) {
        if (!Files.isReadable(path)) {
            throw new UserInputException(path + ": cannot read");
        }
        Config c;
        try {
            c = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setAllowMissing(false)).resolve();
        } catch (ConfigException e) {
            throw new UserInputException(oneLine(path.toString(), e));
        }
        return new ScenarioFile(path.toString()).spec(c);
    }

    /** Parses scenario text (for tests), named {@code name} in errors. */
    public static Scenario parse(String name, String text) {
        Config c;
        try {
            c = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(name)).resolve();
        } catch (ConfigException e) {
            throw new UserInputException(oneLine(name, e));
        }
        return new ScenarioFile(name).spec(c);
    }

    /** At most this many hosts in a fleet scenario (the run keeps a row of figures per host). */
    public static final int MAX_HOSTS = 1_000_000;

    private Scenario spec(Config c) {
        allow(c, "", Set.of("seed", "requests", "duration", "think", "loop", "rate", "emulators", "xen-options",
                "domains", "events", "hosts"));
        RunSettings run = runSettings(c);
        XenSettings xen = xenSettings(c);
        if (c.hasPath("hosts")) {
            for (String k : List.of("domains", "events")) {
                if (c.hasPath(k)) {
                    throw error(c, k, "a fleet scenario (hosts) gives each host its " + k + ": hosts[i]." + k);
                }
            }
            return Scenario.fleet(run, xen, hosts(c));
        }
        if (!c.hasPath("domains")) {
            throw new UserInputException(file + ": domains: missing (a list of domain groups, or hosts for a fleet)");
        }
        Machine m = machine(c, "");
        return new Scenario(run, xen, m.groups, m.events);
    }

    /** One machine's guests and events. */
    private record Machine(List<DomainGroup> groups, List<ScenarioEvent> events) {
    }

    /** {@code domains} and {@code events} of {@code c}, which is at {@code at}. */
    private Machine machine(Config c, String at) {
        List<DomainGroup> groups = new ArrayList<>();
        List<? extends Config> ds = list(c, at, "domains");
        for (int i = 0; i < ds.size(); i++) {
            groups.add(group(ds.get(i), at + "domains[" + i + "]."));
        }
        int totalDomains = groups.stream().mapToInt(DomainGroup::count).sum();
        List<ScenarioEvent> events = new ArrayList<>();
        if (c.hasPath("events")) {
            List<? extends Config> es = list(c, at, "events");
            for (int i = 0; i < es.size(); i++) {
                events.add(event(es.get(i), at + "events[" + i + "].", totalDomains));
            }
        }
        return new Machine(groups, events);
    }

    /** A fleet's {@code hosts}: templates of identical hosts, each with a name, a count and its guests. */
    private List<HostTemplate> hosts(Config c) {
        List<? extends Config> hs = list(c, "", "hosts");
        if (hs.isEmpty()) {
            throw error(c, "hosts", "needs at least one host");
        }
        List<HostTemplate> out = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        long total = 0;
        for (int i = 0; i < hs.size(); i++) {
            String at = "hosts[" + i + "].";
            Config h = hs.get(i);
            allow(h, at, Set.of("name", "count", "domains", "events"));
            String name = h.hasPath("name") ? string(h, at, "name") : "host";
            if (!name.matches("[A-Za-z][A-Za-z0-9_]{0,39}")) {
                throw error(h, "name", "'" + name + "' is not a host name (a letter, then up to 39 letters, digits "
                        + "or _; its hosts are NAME-0, NAME-1, ...)", at);
            }
            if (!names.add(name)) {
                throw error(h, h.hasPath("name") ? "name" : "domains", "two hosts entries named '" + name
                        + "' (give each a name)", at);
            }
            int count = (int) (h.hasPath("count") ? number(h, at, "count", 1, MAX_HOSTS) : 1);
            total += count;
            if (total > MAX_HOSTS) {
                throw error(h, "count", "more than " + MAX_HOSTS + " hosts in all", at);
            }
            if (!h.hasPath("domains")) {
                throw error(h, "domains", "missing (a list of domain groups: the guests of each host)", at);
            }
            Machine m = machine(h, at);
            out.add(new HostTemplate(name, count, m.groups, m.events));
        }
        return out;
    }

    /** The run's settings: {@code seed}, {@code requests} or {@code duration}, {@code think}, {@code loop}, {@code rate}. */
    private RunSettings runSettings(Config c) {
        long seed = c.hasPath("seed") ? number(c, "", "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 1;
        long requests = c.hasPath("requests") ? number(c, "", "requests", 1, Long.MAX_VALUE) : 0;
        Duration duration = c.hasPath("duration") ? duration(c, "", "duration") : Duration.ZERO;
        if (c.hasPath("duration") && (duration.isZero() || duration.isNegative())) {
            throw error(c, "duration", "must be more than zero");
        }
        if (requests > 0 && c.hasPath("duration")) {
            throw error(c, "duration", "give requests or duration, not both");
        }
        if (requests == 0 && !c.hasPath("duration")) {
            requests = 20_000;
        }
        Duration think = c.hasPath("think") ? duration(c, "", "think") : Duration.ZERO;
        if (think.isNegative()) {
            throw error(c, "think", "must not be negative");
        }
        String loop = c.hasPath("loop") ? choice(c, "", "loop", Set.of("closed", "open")) : "closed";
        double rate = c.hasPath("rate") ? positive(c, "", "rate") : 0;
        if (loop.equals("open") && rate <= 0) {
            throw error(c, "loop", "an open loop needs rate = accesses per second per vCPU");
        }
        return new RunSettings(seed, requests, duration, think, loop.equals("open"), rate);
    }

    /** Xen's settings: {@code emulators} and {@code xen-options}. */
    private XenSettings xenSettings(Config c) {
        EmulatorPlacement placement = c.hasPath("emulators")
                ? EmulatorPlacement.valueOf(choice(c, "", "emulators", Set.of("dom0", "stubdom", "auto"))
                .toUpperCase(Locale.ROOT)) : EmulatorPlacement.AUTO;
        XenOptions options = XenOptions.SEED;
        if (c.hasPath("xen-options")) {
            for (String o : stringList(c, "", "xen-options")) {
                try {
                    options = options.with(o, true);
                    defaultServerAllowed |= options.legacyDefaultServer();
                } catch (IllegalArgumentException e) {
                    throw error(c, "xen-options", e.getMessage());
                }
            }
        }
        return new XenSettings(placement, options);
    }

    private DomainGroup group(Config g, String at) {
        allow(g, at, Set.of("count", "vcpus", "vga", "cpu", "intercepts", "servers", "workload", "vcpu-workloads"));
        int count = (int) (g.hasPath("count") ? number(g, at, "count", 1, 30_000) : 1);
        int vcpus = (int) (g.hasPath("vcpus") ? number(g, at, "vcpus", 1, Xen.HVM_MAX_VCPUS) : 1);
        boolean vga = g.hasPath("vga") && bool(g, at, "vga");
        DomainConfig.CpuVendor vendor = DomainConfig.CpuVendor.INTEL;
        int family = 6;
        if (g.hasPath("cpu")) {
            Config cpu = object(g, at, "cpu");
            allow(cpu, at + "cpu.", Set.of("vendor", "family"));
            if (cpu.hasPath("vendor")) {
                vendor = DomainConfig.CpuVendor.valueOf(choice(cpu, at + "cpu.", "vendor", Set.of("intel", "amd"))
                        .toUpperCase(Locale.ROOT));
            }
            family = (int) (cpu.hasPath("family") ? number(cpu, at + "cpu.", "family", 0, 0xFF) : 6);
        }
        List<InterceptSpec> intercepts = new ArrayList<>();
        if (g.hasPath("intercepts")) {
            List<? extends Config> is = list(g, at, "intercepts");
            for (int i = 0; i < is.size(); i++) {
                String p = at + "intercepts[" + i + "].";
                Config x = is.get(i);
                allow(x, p, Set.of("name", "space", "start", "length", "write-only"));
                intercepts.add(new InterceptSpec(string(x, p, "name"), choice(x, p, "space", Set.of("pio", "mmio"))
                        .equals("mmio"), number(x, p, "start", 0, Long.MAX_VALUE), number(x, p, "length", 1,
                        1L << 40), x.hasPath("write-only") && bool(x, p, "write-only")));
            }
        }
        List<DomainGroup.ServerSpec> servers = new ArrayList<>();
        List<? extends Config> ss = g.hasPath("servers") ? list(g, at, "servers") : List.of();
        if (ss.size() > Xen.MAX_NR_IOREQ_SERVERS) {
            throw error(g, "servers", "at most " + Xen.MAX_NR_IOREQ_SERVERS + " servers per domain");
        }
        for (int i = 0; i < ss.size(); i++) {
            servers.add(server(ss.get(i), at + "servers[" + i + "]."));
            if (i > 0 && servers.get(i).defaultServer()) {
                throw error(ss.get(i), "default-server", "only the first server can be the default server",
                        at + "servers[" + i + "].");
            }
        }
        if (!g.hasPath("workload")) {
            throw error(g, "workload", "missing (a list of { weight, access })", at);
        }
        List<AccessTemplate> workload = workload(g, at);
        List<DomainGroup.VcpuWorkload> perVcpu = new ArrayList<>();
        List<? extends Config> vws = g.hasPath("vcpu-workloads") ? list(g, at, "vcpu-workloads") : List.of();
        for (int i = 0; i < vws.size(); i++) {
            String p = at + "vcpu-workloads[" + i + "].";
            Config v = vws.get(i);
            allow(v, p, Set.of("vcpus", "workload"));
            long[] ids;
            try {
                ids = AccessTemplates.range(string(v, p, "vcpus"));
            } catch (IllegalArgumentException e) {
                throw error(v, "vcpus", e.getMessage() + " (vCPU ids are N or FIRST-LAST)", p);
            }
            if (ids[1] >= Xen.HVM_MAX_VCPUS) {
                throw error(v, "vcpus", "vCPU ids go up to " + (Xen.HVM_MAX_VCPUS - 1), p);
            }
            if (!v.hasPath("workload")) {
                throw error(v, "workload", "missing (a list of { weight, access })", p);
            }
            perVcpu.add(new DomainGroup.VcpuWorkload((int) ids[0], (int) ids[1], workload(v, p)));
        }
        return new DomainGroup(count, vcpus, vga, vendor, family, intercepts, servers, workload, perVcpu);
    }

    /** The {@code workload} list of {@code c}: weighted access templates, at least one. */
    private List<AccessTemplate> workload(Config c, String at) {
        List<AccessTemplate> workload = new ArrayList<>();
        List<? extends Config> ws = list(c, at, "workload");
        for (int i = 0; i < ws.size(); i++) {
            String p = at + "workload[" + i + "].";
            Config w = ws.get(i);
            allow(w, p, Set.of("weight", "access"));
            int weight = (int) number(w, p, "weight", 1, 1_000_000);
            try {
                workload.add(AccessTemplates.parse(weight, string(w, p, "access")));
            } catch (IllegalArgumentException e) {
                throw error(w, "access", e.getMessage(), p);
            }
        }
        if (workload.isEmpty()) {
            throw error(c, "workload", "needs at least one access", at);
        }
        return workload;
    }

    private DomainGroup.ServerSpec server(Config s, String at) {
        allow(s, at, Set.of("bufioreq", "mapping", "devices", "default-server"));
        BufioreqMode mode = s.hasPath("bufioreq") ? BufioreqMode.valueOf(choice(s, at, "bufioreq",
                Set.of("off", "legacy", "atomic")).toUpperCase(Locale.ROOT)) : BufioreqMode.ATOMIC;
        boolean resource = !s.hasPath("mapping") || choice(s, at, "mapping", Set.of("resource", "gfn"))
                .equals("resource");
        List<DeviceSpec> devices = new ArrayList<>();
        List<? extends Config> ds = s.hasPath("devices") ? list(s, at, "devices") : List.of();
        for (int i = 0; i < ds.size(); i++) {
            devices.add(device(ds.get(i), at + "devices[" + i + "]."));
        }
        boolean dflt = s.hasPath("default-server") && bool(s, at, "default-server");
        if (dflt && !defaultServerAllowed) {
            throw error(s, "default-server", "needs xen-options = [legacyDefaultServer] (Xen before the seed commit)",
                    at);
        }
        DomainGroup.ServerSpec spec = new DomainGroup.ServerSpec(mode, resource, devices, dflt);
        try {
            DeviceMaps.build(spec);
        } catch (IllegalArgumentException e) {
            throw error(s, "devices", e.getMessage(), at);
        }
        return spec;
    }

    private DeviceSpec device(Config d, String at) {
        String kind = choice(d, at, "kind", Set.of("uart", "registers", "ram", "pci"));
        switch (kind) {
            case "uart" -> {
                allow(d, at, Set.of("kind", "port", "name"));
                return new DeviceSpec(DeviceSpec.Kind.UART, number(d, at, "port", 0, 0xFFF8), 8, 0, 0, 0,
                        name(d, at, "uart"));
            }
            case "registers" -> {
                allow(d, at, Set.of("kind", "port", "length", "name"));
                long port = number(d, at, "port", 0, 0xFFFF);
                long len = number(d, at, "length", 1, 0x10000 - port);
                return new DeviceSpec(DeviceSpec.Kind.REGISTERS, port, len, 0, 0, 0, name(d, at, "registers"));
            }
            case "ram" -> {
                allow(d, at, Set.of("kind", "mmio", "length", "name"));
                return new DeviceSpec(DeviceSpec.Kind.RAM, number(d, at, "mmio", 0x10000, Long.MAX_VALUE),
                        number(d, at, "length", 1, 1L << 36), 0, 0, 0, name(d, at, "ram"));
            }
            default -> {
                allow(d, at, Set.of("kind", "bdf", "vendor", "device", "bar", "bar-size", "name"));
                String bdf = string(d, at, "bdf");
                if (!bdf.matches("[0-9a-fA-F]{1,2}:[0-9a-fA-F]{1,2}\\.[0-7]")) {
                    throw error(d, "bdf", "a PCI function is BB:DD.F, not '" + bdf + "'", at);
                }
                String[] p = bdf.split("[:.]");
                long sbdf = Pci.sbdf(0, Integer.parseInt(p[0], 16), Integer.parseInt(p[1], 16),
                        Integer.parseInt(p[2]));
                long bar = d.hasPath("bar") ? number(d, at, "bar", 0x10000, 0xFFFFFFFFL) : 0;
                long barSize = d.hasPath("bar-size") ? number(d, at, "bar-size", 16, 1L << 31) : 0;
                if ((bar == 0) != (barSize == 0) || (barSize != 0 && Long.bitCount(barSize) != 1)) {
                    throw error(d, d.hasPath("bar") ? "bar" : "bar-size",
                            "a BAR needs both bar and bar-size, the size a power of two", at);
                }
                return new DeviceSpec(DeviceSpec.Kind.PCI, bar, barSize, sbdf,
                        (int) (d.hasPath("vendor") ? number(d, at, "vendor", 0, 0xFFFF) : 0x1234),
                        (int) (d.hasPath("device") ? number(d, at, "device", 0, 0xFFFF) : 0x1111), name(d, at, "pci"));
            }
        }
    }

    private ScenarioEvent event(Config e, String at, int totalDomains) {
        allow(e, at, Set.of("at", "after", "action", "domain", "server", "vcpu", "type", "start", "end"));
        if (e.hasPath("at") == e.hasPath("after")) {
            throw error(e, e.hasPath("at") ? "after" : "action", "give the event 'at' (a time) or 'after' (completed "
                    + "operations), one of them", at);
        }
        Duration when = e.hasPath("at") ? duration(e, at, "at") : Duration.ZERO;
        if (when.isNegative()) {
            throw error(e, "at", "must not be negative", at);
        }
        long after = e.hasPath("after") ? number(e, at, "after", 1, Long.MAX_VALUE) : -1;
        ScenarioEvent.Action action;
        String a = string(e, at, "action");
        try {
            action = ScenarioEvent.Action.valueOf(a.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException x) {
            List<String> names = new ArrayList<>();
            for (ScenarioEvent.Action v : ScenarioEvent.Action.values()) {
                names.add(v.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw error(e, "action", "unknown action '" + a + "' (known: " + String.join(", ", names) + ")", at);
        }
        int domain = (int) number(e, at, "domain", 1, totalDomains);
        int server = (int) (e.hasPath("server") ? number(e, at, "server", 0, Xen.MAX_NR_IOREQ_SERVERS - 1) : 0);
        int vcpu = (int) (e.hasPath("vcpu") ? number(e, at, "vcpu", 0, Xen.HVM_MAX_VCPUS - 1) : 0);
        int type = 0;
        long start = 0;
        long end = 0;
        if (action == ScenarioEvent.Action.MAP || action == ScenarioEvent.Action.UNMAP) {
            type = switch (choice(e, at, "type", Set.of("port", "memory", "pci"))) {
                case "port" -> 0;
                case "memory" -> 1;
                default -> 2;
            };
            start = number(e, at, "start", 0, Long.MAX_VALUE);
            end = number(e, at, "end", start, Long.MAX_VALUE);
        }
        return new ScenarioEvent(when, after, action, domain, server, vcpu, type, start, end);
    }

    private void allow(Config c, String at, Set<String> keys) {
        for (String k : c.root().keySet()) {
            if (!keys.contains(k)) {
                throw error(c, k, "unknown key (known: " + String.join(", ", new TreeSet<>(keys)) + ")", at);
            }
        }
    }

    private long number(Config c, String at, String key, long lo, long hi) {
        if (!c.hasPath(key)) {
            throw error(c, key, "missing", at);
        }
        ConfigValue v = c.getValue(key);
        long n;
        try {
            n = AccessTemplates.number(String.valueOf(v.unwrapped()));
        } catch (IllegalArgumentException e) {
            throw error(c, key, "'" + v.unwrapped() + "' is not a number", at);
        }
        if (n < lo || n > hi) {
            throw error(c, key, n + " is out of range " + lo + ".." + hi, at);
        }
        return n;
    }

    private double positive(Config c, String at, String key) {
        try {
            double d = c.getDouble(key);
            if (d <= 0) {
                throw error(c, key, "must be positive", at);
            }
            return d;
        } catch (ConfigException e) {
            throw error(c, key, "not a number", at);
        }
    }

    private Duration duration(Config c, String at, String key) {
        try {
            return c.getDuration(key);
        } catch (ConfigException e) {
            throw error(c, key, "not a duration (e.g. 100ms, 5s)", at);
        }
    }

    private boolean bool(Config c, String at, String key) {
        try {
            return c.getBoolean(key);
        } catch (ConfigException e) {
            throw error(c, key, "must be true or false", at);
        }
    }

    private String string(Config c, String at, String key) {
        if (!c.hasPath(key)) {
            throw error(c, key, "missing", at);
        }
        try {
            return c.getString(key);
        } catch (ConfigException e) {
            throw error(c, key, "must be a string", at);
        }
    }

    private String name(Config c, String at, String dflt) {
        return c.hasPath("name") ? string(c, at, "name") : dflt;
    }

    private String choice(Config c, String at, String key, Set<String> allowed) {
        String v = string(c, at, key).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw error(c, key, "'" + v + "' is not one of " + String.join(", ", new TreeSet<>(allowed)), at);
        }
        return v;
    }

    private List<String> stringList(Config c, String at, String key) {
        try {
            return c.getStringList(key);
        } catch (ConfigException e) {
            throw error(c, key, "must be a list of strings", at);
        }
    }

    private List<? extends Config> list(Config c, String at, String key) {
        try {
            return c.getConfigList(key);
        } catch (ConfigException e) {
            throw error(c, key, "must be a list of objects", at);
        }
    }

    private Config object(Config c, String at, String key) {
        try {
            return c.getConfig(key);
        } catch (ConfigException e) {
            throw error(c, key, "must be an object", at);
        }
    }

    private UserInputException error(Config c, String key, String message) {
        return error(c, key, message, "");
    }

    private UserInputException error(Config c, String key, String message, String at) {
        ConfigValue v = c.root().get(key);
        int line = v != null ? v.origin().lineNumber() : c.root().origin().lineNumber();
        String where = line > 0 ? file + ":" + line : file;
        return new UserInputException(where + ": " + at + key + ": " + message);
    }

    private static String oneLine(String file, ConfigException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return m.startsWith(file) ? m : file + ": " + m;
    }
}
