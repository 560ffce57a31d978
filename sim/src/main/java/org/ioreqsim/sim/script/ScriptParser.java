package org.ioreqsim.sim.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.sim.UserInputException;

/**
 * Reads the script language (docs/scripts.md): one step per line, {@code #} comments, {@code key=value}
 * arguments, an optional {@code => expected} result. Every line is checked before anything runs:
 * unknown verbs and keys, missing arguments, numbers outside their ABI field and malformed vCPU or
 * emulator names stop the run with one line naming the file, line and key.
 */
public final class ScriptParser {

    /** What one verb accepts: positional argument kinds, keys with their kinds, flags, repeatable keys. */
    private record Grammar(List<String> positional, int optionalPositional, Map<String, String> keys,
                           Set<String> flags, Set<String> repeatable) {
    }

    private static final Map<String, Grammar> GRAMMAR = new LinkedHashMap<>();

    static {
        g("option", List.of("option", "onoff"), 1, Map.of(), Set.of(), Set.of());
        g("domain create", List.of("domid"), 1, Map.of("vcpus", "u7", "vendor", "vendor", "family", "u8",
                "hvm", "bool", "hap", "bool", "maxport", "u16", "stubdom-for", "domid", "intercept", "intercept",
                "ram", "gfnrange"), Set.of("paused", "vga", "privileged"), Set.of("intercept", "ram"));
        for (String v : List.of("destroy", "pause", "unpause", "shutdown")) {
            g("domain " + v, List.of("domid"), 0, Map.of(), Set.of(), Set.of());
        }
        g("vcpu add", List.of("domid"), 0, Map.of(), Set.of(), Set.of());
        g("vcpu remove", List.of("vcpu"), 0, Map.of(), Set.of(), Set.of());
        Map<String, String> header = Map.of("nrbufs", "u32", "bufsize", "u64", "headerpad", "u32");
        dm("create_ioreq_server", Map.of("handle_bufioreq", "u8", "pad0", "u8", "pad1", "u8", "pad2", "u8"), header);
        dm("get_ioreq_server_info", Map.of("id", "u16", "flags", "u16", "bufioreq_port", "u32", "ioreq_gfn", "u64",
                "bufioreq_gfn", "u64"), header);
        Map<String, String> range = Map.of("id", "u16", "pad", "u16", "type", "rangetype", "start", "u64",
                "end", "u64");
        dm("map_io_range_to_ioreq_server", range, header);
        dm("unmap_io_range_from_ioreq_server", range, header);
        dm("set_ioreq_server_state", Map.of("id", "u16", "enabled", "u8", "pad", "u8"), header);
        dm("destroy_ioreq_server", Map.of("id", "u16", "pad", "u16"), header);
        dm("map_mem_type_to_ioreq_server", Map.of("id", "u16", "type", "u16", "flags", "u32", "opaque", "u64"),
                header);
        dm("set_mem_type", Map.of("nr", "u32", "mem_type", "u16", "pad", "u16", "first_pfn", "u64"), header);
        dm("op", Map.of("op", "u32"), header);
        g("acquire_resource", List.of("domid", "domid"), 0, Map.of("id", "u32", "frame", "u64", "nr", "u32",
                "type", "u32", "flags", "u32"), Set.of("nolist"), Set.of());
        g("param set", List.of("domid", "domidself", "param", "u64"), 0, Map.of(), Set.of(), Set.of());
        g("param get", List.of("domid", "domidself", "param"), 0, Map.of(), Set.of(), Set.of());
        g("io", List.of("vcpu", "space", "dir", "u64"), 0, Map.of("size", "u8", "count", "u32", "ptr", "u64",
                "value", "u64"), Set.of("df"), Set.of());
        g("rtc", List.of("vcpu", "s64"), 0, Map.of(), Set.of(), Set.of());
        g("invalidate", List.of("vcpu"), 0, Map.of(), Set.of(), Set.of());
        g("emu map", List.of("emu"), 0, Map.of(), Set.of("resource", "gfn"), Set.of());
        g("emu bind", List.of("emu"), 0, Map.of("vcpu", "u7"), Set.of("bufioreq"), Set.of());
        g("emu take", List.of("emu"), 0, Map.of("vcpu", "u7"), Set.of(), Set.of());
        g("emu respond", List.of("emu"), 0, Map.of("vcpu", "u7", "value", "u64"), Set.of("nosend"), Set.of());
        g("emu state", List.of("emu"), 0, Map.of("vcpu", "u7", "state", "state"), Set.of(), Set.of());
        g("emu eport", List.of("emu"), 0, Map.of("vcpu", "u7", "port", "u32"), Set.of(), Set.of());
        g("emu notify", List.of("emu"), 0, Map.of("vcpu", "u7"), Set.of("bufioreq"), Set.of());
        g("emu drain", List.of("emu"), 0, Map.of(), Set.of(), Set.of());
        g("emu close", List.of("emu"), 0, Map.of("vcpu", "u7"), Set.of("bufioreq"), Set.of());
        g("emu crash", List.of("emu"), 0, Map.of(), Set.of(), Set.of());
        g("emu ring", List.of("emu"), 0, Map.of("rp", "u32", "wp", "u32"), Set.of(), Set.of());
        g("qemu", List.of("domid", "domid"), 0, Map.of("bufioreq", "bufmode", "port", "span", "mmio", "span",
                "pci", "bdf", "vcpus", "u7"), Set.of("gfn", "disabled", "manual"), Set.of("port", "mmio", "pci"));
        g("show domain", List.of("domid"), 0, Map.of(), Set.of(), Set.of());
        g("show vcpu", List.of("vcpu"), 0, Map.of(), Set.of(), Set.of());
        g("show server", List.of("server"), 0, Map.of(), Set.of(), Set.of());
        g("show slot", List.of("server"), 0, Map.of("vcpu", "u7"), Set.of(), Set.of());
        g("show ring", List.of("server"), 0, Map.of(), Set.of(), Set.of());
        g("show port", List.of("domid", "u32"), 0, Map.of(), Set.of(), Set.of());
        g("show memory", List.of("domid", "u64"), 0, Map.of("size", "u8"), Set.of(), Set.of());
        g("show emulator", List.of("qemu"), 0, Map.of(), Set.of(), Set.of());
        g("show p2m", List.of("domid", "u64"), 0, Map.of(), Set.of(), Set.of());
        g("wait", List.of("duration"), 1, Map.of(), Set.of(), Set.of());
        // Checks and guest-side steps (issue 16): event channels by any domain, the guest's own shutdown,
        // a kill stopped while dying, the emulator's event handling and slot data, more views.
        g("evtchn send", List.of("domid", "u32"), 0, Map.of(), Set.of(), Set.of());
        g("evtchn close", List.of("domid", "u32"), 0, Map.of(), Set.of(), Set.of());
        g("evtchn bind", List.of("domid", "domid", "u32"), 0, Map.of(), Set.of(), Set.of());
        g("evtchn consume", List.of("domid", "u32"), 0, Map.of(), Set.of(), Set.of());
        g("evtchn unmask", List.of("domid", "u32"), 0, Map.of(), Set.of(), Set.of());
        g("guest shutdown", List.of("vcpu"), 0, Map.of("reason", "shutdownreason"), Set.of(), Set.of());
        g("domain kill", List.of("domid"), 0, Map.of(), Set.of(), Set.of());
        g("emu events", List.of("emu"), 0, Map.of("consume", "bool", "unmask", "bool"), Set.of(), Set.of());
        g("emu data", List.of("emu"), 0, Map.of("vcpu", "u7", "value", "u64"), Set.of(), Set.of());
        g("show regs", List.of("vcpu"), 0, Map.of(), Set.of(), Set.of());
        g("show gfnpool", List.of("domid"), 0, Map.of(), Set.of(), Set.of());
        g("show physmap", List.of("domid", "u64"), 0, Map.of("count", "u16"), Set.of(), Set.of());
        g("log", List.of("onoff"), 0, Map.of(), Set.of(), Set.of());
    }

    private static void g(String verb, List<String> pos, int optional, Map<String, String> keys, Set<String> flags,
                          Set<String> repeatable) {
        GRAMMAR.put(verb, new Grammar(pos, optional, keys, flags, repeatable));
    }

    private static void dm(String op, Map<String, String> fields, Map<String, String> header) {
        Map<String, String> keys = new LinkedHashMap<>(fields);
        keys.putAll(header);
        GRAMMAR.put("dmop " + op, new Grammar(List.of("domid", "domid"), 0, keys, Set.of(), Set.of()));
    }

    /** Short names accepted for dm_ops. */
    private static final Map<String, String> DMOP_ALIASES = Map.of("create", "create_ioreq_server",
            "get_info", "get_ioreq_server_info", "map", "map_io_range_to_ioreq_server",
            "unmap", "unmap_io_range_from_ioreq_server", "set_state", "set_ioreq_server_state",
            "destroy", "destroy_ioreq_server", "map_mem_type", "map_mem_type_to_ioreq_server");

    private final String file;

    public ScriptParser(String file) {
        this.file = file;
    }

    public List<Step> parse(List<String> lines) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Step s = parseLine(i + 1, lines.get(i));
            if (s != null) {
                steps.add(s);
            }
        }
        return steps;
    }

    private Step parseLine(int line, String raw) {
        String text = stripComment(raw);
        String expected = null;
        int arrow = text.indexOf("=>");
        if (arrow >= 0) {
            expected = text.substring(arrow + 2).trim();
            text = text.substring(0, arrow);
            if (expected.isEmpty()) {
                throw error(line, "nothing after '=>'");
            }
        }
        text = text.trim();
        if (text.isEmpty()) {
            return null;
        }
        List<String> words = new ArrayList<>(List.of(text.split("\\s+")));
        String verb = words.remove(0).toLowerCase(Locale.ROOT);
        if (verb.equals("expect")) {
            return expect(line, text, words, expected);
        }
        if (Set.of("domain", "vcpu", "param", "emu", "show", "evtchn", "guest").contains(verb)) {
            if (words.isEmpty()) {
                throw error(line, "'" + verb + "' needs a sub-command");
            }
            verb = verb + " " + words.remove(0).toLowerCase(Locale.ROOT);
        } else if (verb.equals("dmop")) {
            if (words.size() < 3) {
                throw error(line, "dmop needs: dmop CALLER TARGET OP [field=value ...]");
            }
            String op = words.remove(2).toLowerCase(Locale.ROOT);
            op = DMOP_ALIASES.getOrDefault(op, op);
            if (op.startsWith("op=")) {
                words.add(op);
                op = "op";
            }
            verb = "dmop " + op;
        }
        Grammar gr = GRAMMAR.get(verb);
        if (gr == null) {
            throw error(line, "unknown step '" + verb + "'");
        }
        List<String> pos = new ArrayList<>();
        Map<String, List<String>> args = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq > 0) {
                String k = w.substring(0, eq).toLowerCase(Locale.ROOT);
                String v = w.substring(eq + 1);
                String kind = gr.keys().get(k);
                if (kind == null) {
                    throw error(line, "unknown key '" + k + "' for '" + verb + "'" + known(gr));
                }
                check(line, k, kind, v);
                if (args.containsKey(k) && !gr.repeatable().contains(k)) {
                    throw error(line, "key '" + k + "' given twice");
                }
                args.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            } else if (gr.flags().contains(w.toLowerCase(Locale.ROOT))) {
                flags.add(w.toLowerCase(Locale.ROOT));
            } else {
                pos.add(w);
            }
        }
        int min = gr.positional().size() - gr.optionalPositional();
        if (pos.size() < min || pos.size() > gr.positional().size()) {
            throw error(line, "'" + verb + "' takes " + describe(gr) + ", got " + pos.size() + " argument(s)"
                    + (pos.size() > gr.positional().size() ? " (unknown word '" + pos.get(pos.size() - 1) + "')" : ""));
        }
        for (int i = 0; i < pos.size(); i++) {
            check(line, "argument " + (i + 1), gr.positional().get(i), pos.get(i));
        }
        if (verb.equals("io")) {
            checkGuestAccess(line, pos, args);
        }
        return new Step(line, text, verb, pos, args, flags, expected);
    }

    /** {@code expect [count=N] EVENT-WORDS...}: a pattern, not a grammar; see {@link Expect}. */
    private Step expect(int line, String text, List<String> words, String expected) {
        if (expected != null) {
            throw error(line, "expect takes no '=>': it is a check itself");
        }
        Map<String, List<String>> args = new LinkedHashMap<>();
        if (!words.isEmpty() && words.get(0).toLowerCase(Locale.ROOT).startsWith("count=")) {
            String n = words.remove(0).substring(6);
            check(line, "count", "u32", n);
            args.put("count", List.of(n));
        }
        if (words.isEmpty()) {
            throw error(line, "expect needs the words of an event, e.g. 'expect io 1.0 line=11 done value=0x60'");
        }
        return new Step(line, text, "expect", words, args, Set.of(), null);
    }

    /** A comment is a '#' at the start or after a space, followed by a space or the line's end ("#GP" is not). */
    private static String stripComment(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && (i == 0 || Character.isWhitespace(raw.charAt(i - 1)))
                    && (i + 1 == raw.length() || Character.isWhitespace(raw.charAt(i + 1)))) {
                return raw.substring(0, i);
            }
        }
        return raw;
    }

    private static String known(Grammar gr) {
        return gr.keys().isEmpty() ? " (it takes none)"
                : " (known: " + String.join(", ", new java.util.TreeSet<>(gr.keys().keySet())) + ")";
    }

    private static String describe(Grammar gr) {
        return gr.positional().size() - gr.optionalPositional() == gr.positional().size()
                ? gr.positional().size() + " argument(s) " + gr.positional()
                : (gr.positional().size() - gr.optionalPositional()) + ".." + gr.positional().size() + " argument(s) "
                  + gr.positional();
    }

    /**
     * What no guest instruction can issue is refused here: a port above 0xFFFF, or an access size other
     * than 1, 2 or 4 bytes for port I/O and 1, 2, 4 or 8 for MMIO. (What Xen itself accepts from a device
     * model, such as a port range beyond 0xFFFF in a dm_op, stays accepted.)
     */
    private void checkGuestAccess(int line, List<String> pos, Map<String, List<String>> args) {
        boolean pio = pos.get(1).equalsIgnoreCase("pio");
        String sizeText = args.containsKey("size") ? args.get("size").get(args.get("size").size() - 1) : "1";
        long size = Numbers.parse(sizeText);
        if (pio ? size != 1 && size != 2 && size != 4 : size != 1 && size != 2 && size != 4 && size != 8) {
            throw error(line, "size=" + sizeText + ": a guest's " + (pio ? "port access is 1, 2 or 4 bytes"
                    : "MMIO access is 1, 2, 4 or 8 bytes"));
        }
        if (pio && Long.compareUnsigned(Numbers.parse(pos.get(3)), 0xFFFF) > 0) {
            throw error(line, "argument 4=" + pos.get(3) + ": a guest's ports are 0..0xFFFF");
        }
    }

    /** Checks one value against its kind; the message names the key. */
    private void check(int line, String key, String kind, String v) {
        String why = validate(kind, v);
        if (why != null) {
            throw error(line, key + "=" + v + ": " + why);
        }
    }

    private static String validate(String kind, String v) {
        switch (kind) {
            case "u7":
                return range(v, 0, 127);
            case "u8":
                return range(v, 0, 0xFF);
            case "u16":
                return range(v, 0, 0xFFFF);
            case "u32":
                return range(v, 0, 0xFFFFFFFFL);
            case "u64":
                return Numbers.isNumber(v) && !v.trim().startsWith("-") ? null : "not an unsigned 64-bit number";
            case "s64":
                return Numbers.isNumber(v) ? null : "not a number";
            case "domid":
                return range(v, 0, 0x7FEF);
            case "domidself":
                return v.equalsIgnoreCase("self") ? null : range(v, 0, 0xFFFF);
            case "onoff":
                return Set.of("on", "off").contains(v.toLowerCase(Locale.ROOT)) ? null : "must be on or off";
            case "bool":
                return Set.of("yes", "no", "on", "off", "true", "false", "1", "0").contains(v.toLowerCase(Locale.ROOT))
                        ? null : "must be yes or no";
            case "vendor":
                return Set.of("intel", "amd").contains(v.toLowerCase(Locale.ROOT)) ? null : "must be intel or amd";
            case "option":
                return XenOptions.NAMES.stream().anyMatch(n -> n.equalsIgnoreCase(v)) ? null
                        : "unknown option (known: " + String.join(", ", XenOptions.NAMES) + ")";
            case "vcpu":
                return v.matches("\\d+\\.\\d+") && Integer.parseInt(v.substring(v.indexOf('.') + 1)) < 128 ? null
                        : "a vCPU is DOMID.VCPU, e.g. 1.0";
            case "emu":
                return v.matches("\\d+:\\d+:\\d+") ? null : "an emulator is EMUDOM:TARGET:SERVERID, e.g. 0:1:0";
            case "server":
                return v.matches("\\d+:\\d+") ? null : "a server is DOMID:ID, e.g. 1:0";
            case "space":
                return Set.of("pio", "mmio").contains(v.toLowerCase(Locale.ROOT)) ? null : "must be pio or mmio";
            case "dir":
                return Set.of("read", "write").contains(v.toLowerCase(Locale.ROOT)) ? null : "must be read or write";
            case "rangetype":
                return Set.of("port", "memory", "pci").contains(v.toLowerCase(Locale.ROOT)) ? null : range(v, 0,
                        0xFFFFFFFFL);
            case "state":
                try {
                    IoreqState.parse(v);
                    return null;
                } catch (IllegalArgumentException e) {
                    return "a state is NONE, READY, INPROCESS, IORESP_READY or 0..15";
                }
            case "param":
                try {
                    long p = HvmParam.parse(v);
                    return p < 0 || p > 0xFFFFFFFFL ? "not a parameter index" : null;
                } catch (NumberFormatException e) {
                    return "not a parameter name or index";
                }
            case "intercept":
                return v.matches("[A-Za-z0-9_-]+:(pio|mmio):[0-9a-fA-Fx]+:[0-9a-fA-Fx]+(:write-only)?") ? null
                        : "an intercept is NAME:pio|mmio:START:LENGTH[:write-only]";
            case "gfnrange":
            case "span":
                return v.matches("[0-9a-fA-Fx]+[-:][0-9a-fA-Fx]+") ? null : "a range is START:LENGTH or FIRST-LAST";
            case "bdf":
                return v.matches("[0-9a-fA-F]{1,2}:[0-9a-fA-F]{1,2}\\.[0-7]") ? null : "a PCI function is BB:DD.F";
            case "bufmode":
                return Set.of("off", "legacy", "atomic").contains(v.toLowerCase(Locale.ROOT)) ? null
                        : "must be off, legacy or atomic";
            case "qemu":
                return v.matches("qemu-\\d+") ? null : "a QEMU-like emulator is named qemu-N (the Nth started)";
            case "shutdownreason":
                return GuestSteps.SHUTDOWN_REASONS.contains(v.toLowerCase(Locale.ROOT)) ? null : range(v, 0, 0xFF);
            case "duration":
                return v.matches("\\d+(ms|s|us)") ? null : "a duration is e.g. 100ms, 2s";
            default:
                return null;
        }
    }

    private static String range(String v, long lo, long hi) {
        if (!Numbers.isNumber(v)) {
            return "not a number";
        }
        long n = Numbers.parse(v);
        if (n < lo || n > hi) {
            return "out of range " + lo + ".." + hi;
        }
        return null;
    }

    private UserInputException error(int line, String message) {
        return new UserInputException(file + ":" + line + ": " + message);
    }
}
