package org.ioreqsim.sim.trace;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.ioreqsim.sim.UserInputException;

/**
 * A checked view of one HOCON object of a layout file: typed getters that accept numbers written as
 * decimal or {@code "0x..."} strings, and errors of one line naming the file, the line and the key
 * path ({@code layout.conf:12: qemu.ports[3].length: must be positive}).
 */
final class HoconNode {
    private final String file;
    private final String path;
    private final ConfigObject object;

    HoconNode(String file, String path, ConfigObject object) {
        this.file = file;
        this.path = path;
        this.object = object;
    }

    /** Fails on any key not in {@code allowed}. */
    HoconNode onlyKeys(String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String k : new TreeSet<>(object.keySet())) {
            if (!ok.contains(k)) {
                throw error(object.get(k), key(k), "unknown key (expected one of " + String.join(", ",
                        new TreeSet<>(ok)) + ")");
            }
        }
        return this;
    }

    boolean has(String k) {
        return object.containsKey(k);
    }

    String string(String k) {
        ConfigValue v = required(k);
        if (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.NUMBER) {
            throw error(v, key(k), "must be a string");
        }
        String s = String.valueOf(v.unwrapped()).strip();
        if (s.isEmpty()) {
            throw error(v, key(k), "must not be empty");
        }
        return s;
    }

    String string(String k, String fallback) {
        return has(k) ? string(k) : fallback;
    }

    boolean bool(String k, boolean fallback) {
        if (!has(k)) {
            return fallback;
        }
        ConfigValue v = object.get(k);
        if (v.valueType() != ConfigValueType.BOOLEAN) {
            throw error(v, key(k), "must be true or false");
        }
        return (Boolean) v.unwrapped();
    }

    /** An unsigned 64-bit number: decimal, or a {@code 0x} hex string. */
    long number(String k) {
        ConfigValue v = required(k);
        String text = String.valueOf(v.unwrapped()).strip();
        try {
            if (v.valueType() == ConfigValueType.NUMBER && v.unwrapped() instanceof Number n
                    && !(n instanceof Double) && !(n instanceof Float)) {
                long x = n.longValue();
                if (x < 0) {
                    throw new NumberFormatException();
                }
                return x;
            }
            if (v.valueType() == ConfigValueType.STRING) {
                String t = text.toLowerCase(java.util.Locale.ROOT).replace("_", "");
                return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(v, key(k), "'" + text + "' is not a number (decimal or 0x hex)");
    }

    long number(String k, long fallback) {
        return has(k) ? number(k) : fallback;
    }

    long number(String k, long min, long max) {
        long x = number(k);
        if (Long.compareUnsigned(x, min) < 0 || Long.compareUnsigned(x, max) > 0) {
            throw error(object.get(k), key(k), "0x" + Long.toHexString(x) + " is out of range 0x"
                    + Long.toHexString(min) + "..0x" + Long.toHexString(max));
        }
        return x;
    }

    /** The objects of list {@code k}, or none when it is absent. */
    List<HoconNode> list(String k) {
        List<HoconNode> out = new ArrayList<>();
        if (!has(k)) {
            return out;
        }
        ConfigValue v = object.get(k);
        if (v.valueType() != ConfigValueType.LIST) {
            throw error(v, key(k), "must be a list");
        }
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue e = list.get(i);
            String p = key(k) + "[" + i + "]";
            if (e.valueType() != ConfigValueType.OBJECT) {
                throw error(e, p, "must be an object { ... }");
            }
            out.add(new HoconNode(file, p, (ConfigObject) e));
        }
        return out;
    }

    HoconNode child(String k) {
        ConfigValue v = required(k);
        if (v.valueType() != ConfigValueType.OBJECT) {
            throw error(v, key(k), "must be an object { ... }");
        }
        return new HoconNode(file, key(k), (ConfigObject) v);
    }

    /** An error about this node as a whole, or one of its keys. */
    UserInputException error(String k, String message) {
        return k == null ? error(object, path, message) : error(has(k) ? object.get(k) : object, key(k), message);
    }

    String path() {
        return path;
    }

    private ConfigValue required(String k) {
        if (!has(k)) {
            throw error(object, key(k), "missing");
        }
        return object.get(k);
    }

    private String key(String k) {
        return path.isEmpty() ? k : path + "." + k;
    }

    private UserInputException error(ConfigValue at, String keyPath, String message) {
        int line = at.origin().lineNumber();
        return new UserInputException(file + (line > 0 ? ":" + line : "") + ": " + keyPath + ": " + message);
    }
}
