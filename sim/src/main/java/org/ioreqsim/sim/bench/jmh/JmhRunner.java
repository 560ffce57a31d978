package org.ioreqsim.sim.bench.jmh;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH micro-benchmarks of this package ({@code ./ioreq-sim bench --jmh [REGEX]}): one fork,
 * 3 warm-up and 5 measured iterations of 1 s each ({@code --quick}: 1 and 2 of 0.3 s).
 */
public final class JmhRunner {
    private JmhRunner() {
    }

    /** Runs the benchmarks whose name matches {@code include}; JMH prints its own report. */
    public static Collection<RunResult> run(String include, boolean quick) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(JmhRunner.class.getPackageName() + ".*" + include)
                .forks(1)
                .shouldFailOnError(true);
        if (quick) {
            o.warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(300));
        } else {
            o.warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        return new Runner(o.build()).run();
    }

    /** {@code java -cp ... org.ioreqsim.sim.bench.jmh.JmhRunner [REGEX] [--quick]}. */
    public static void main(String[] args) throws RunnerException {
        boolean quick = false;
        String include = "";
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else {
                include = a;
            }
        }
        run(include, quick);
    }
}
