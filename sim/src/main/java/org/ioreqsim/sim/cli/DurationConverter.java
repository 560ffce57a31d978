package org.ioreqsim.sim.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.ioreqsim.sim.UserInputException;
import picocli.CommandLine;

/**
 * Every duration flag's grammar: HOCON's, the one scenario files use ({@code 5s}, {@code 1.5s},
 * {@code 250ms}, {@code 10us}, {@code 100ns}, {@code 2m}, long unit names too; a bare number is
 * milliseconds). Registered for {@link Duration} on the whole command line; the bounds a flag needs
 * are checked by {@link #positive} and {@link #nonNegative}.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        try {
            return ConfigFactory.parseMap(Map.of("d", text.trim())).getDuration("d");
        } catch (ConfigException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (e.g. 5s, 250ms, 10us)");
        }
    }

    /** {@code d}, which must be more than zero (how long something runs). */
    static Duration positive(String flag, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new UserInputException(flag + ": '" + text(d) + "' must be more than zero");
        }
        return d;
    }

    /** {@code d}, which must not be negative (a pause). */
    static Duration nonNegative(String flag, Duration d) {
        if (d.isNegative()) {
            throw new UserInputException(flag + ": '" + text(d) + "' must not be negative");
        }
        return d;
    }

    /** {@code d} in the largest unit that shows it exactly: {@code -5s}, {@code 250ms}, {@code 10us}. */
    static String text(Duration d) {
        long nanos = d.toNanos();
        String[] units = {"s", "ms", "us"};
        long[] sizes = {1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (nanos % sizes[i] == 0) {
                return nanos / sizes[i] + units[i];
            }
        }
        return nanos + "ns";
    }
}
