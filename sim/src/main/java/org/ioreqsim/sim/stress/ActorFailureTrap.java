package org.ioreqsim.sim.stress;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Turns an actor's unexpected failure into a violation. Akka Typed logs the exception that stops an
 * actor (an NPE in a broken model, say) at ERROR through SLF4J; while the driver thread runs a step,
 * this logback filter hands such a log call to the schedule's monitor ({@code model.actor-failure})
 * and keeps it off the console, so users see a one-line violation instead of a stack trace. Other
 * threads, and log calls outside steps, are left alone. Installed once per JVM; without logback it
 * does nothing.
 */
final class ActorFailureTrap extends TurboFilter {

    private static final ThreadLocal<Monitor> CURRENT = new ThreadLocal<>();
    private static boolean installed;

    private ActorFailureTrap() {
    }

    /** Installs the filter into logback, once. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ActorFailureTrap trap = new ActorFailureTrap();
            trap.setName("ioreq-sim-stress-actor-failures");
            trap.start();
            ctx.addTurboFilter(trap);
        }
    }

    /** From now on, ERROR logs on this thread go to {@code monitor}. */
    static void enter(Monitor monitor) {
        CURRENT.set(monitor);
    }

    static void exit() {
        CURRENT.remove();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level == null || level.levelInt < Level.ERROR_INT) {
            return FilterReply.NEUTRAL;
        }
        Monitor monitor = CURRENT.get();
        if (monitor == null) {
            return FilterReply.NEUTRAL;
        }
        Throwable cause = t;
        if (cause == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable x) {
            cause = x;
        }
        monitor.actorFailed(cause, format);
        return FilterReply.DENY;
    }
}
