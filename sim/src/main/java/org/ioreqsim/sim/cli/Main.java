package org.ioreqsim.sim.cli;

import java.io.PrintWriter;
import org.ioreqsim.sim.SimulationException;
import org.ioreqsim.sim.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code ioreq-sim}: the command-line entry point. */
@Command(name = "ioreq-sim", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A simulation of Xen's HVM ioreq-server subsystem (Xen commit 2c257bd6, default ioreq "
                + "server removed), built from Akka typed actors.",
        subcommands = {RunCommand.class, ScriptCommand.class, TraceCommand.class, DiffCommand.class,
                StressCommand.class, ReplayCommand.class, org.ioreqsim.sim.cli.BenchCommand.class, NodeCommand.class,
                ClusterCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit codes: 0 success, 1 a run that failed, 2 bad input. */
    public static final int BAD_INPUT = 2;
    public static final int RUN_FAILED = 1;

    public static void main(String[] args) {
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.registerConverter(java.time.Duration.class, new DurationConverter());
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            // "Invalid value for option '--x': 'v' is not ..." reads as every other error: "--x: 'v' is not ..."
            String message = ex.getMessage().replaceFirst("^Invalid value for option '([^']+)': ", "$1: ");
            c.getErr().println(c.getCommandName().equals("ioreq-sim") ? "ioreq-sim: " + message
                    : "ioreq-sim " + c.getCommandName() + ": " + message);
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            String prefix = "ioreq-sim " + c.getCommandName() + ": ";
            if (ex instanceof UserInputException) {
                c.getErr().println(prefix + ex.getMessage());
                return BAD_INPUT;
            }
            if (ex instanceof SimulationException) {
                c.getErr().println(prefix + ex.getMessage());
                return RUN_FAILED;
            }
            c.getErr().println(prefix + "internal error: " + ex);
            return RUN_FAILED;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required (run, help)");
    }

    /** The version printed by {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ioreq-sim " + (v == null ? "dev" : v)
                    + " (models Xen 2c257bd69a3e667afbc8fd87e2cc855581878026)"};
        }
    }
}
