package org.ioreqsim.sim.script;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line of a script, tokenised and validated: the verb (and sub-verb), positional arguments,
 * {@code key=value} arguments (a key may repeat), bare flags, and the expected result after
 * {@code =>}, if any.
 *
 * @param line       1-based line number in the file
 * @param text       the step as written (without comment and expectation)
 * @param verb       first word, e.g. {@code dmop}
 * @param positional the other bare words, in order, that are not flags
 * @param args       {@code key=value} arguments
 * @param flags      bare words the verb accepts as flags
 * @param expected   the text after {@code =>}, or {@code null}
 */
public record Step(int line, String text, String verb, List<String> positional, Map<String, List<String>> args,
                   Set<String> flags, String expected) {

    public Step {
        positional = List.copyOf(positional);
        args = Map.copyOf(args);
        flags = Set.copyOf(flags);
    }

    public String pos(int i) {
        return positional.get(i);
    }

    public boolean has(String key) {
        return args.containsKey(key);
    }

    public boolean flag(String f) {
        return flags.contains(f);
    }

    /** The single value of {@code key}, or {@code null}. */
    public String arg(String key) {
        List<String> v = args.get(key);
        return v == null ? null : v.get(v.size() - 1);
    }

    public List<String> all(String key) {
        return args.getOrDefault(key, List.of());
    }

    /** A numeric argument (already range-checked by the parser), or {@code dflt}. */
    public long num(String key, long dflt) {
        String v = arg(key);
        return v == null ? dflt : Numbers.parse(v);
    }
}
