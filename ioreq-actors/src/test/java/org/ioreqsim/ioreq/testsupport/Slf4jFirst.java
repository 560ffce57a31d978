package org.ioreqsim.ioreq.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.slf4j.LoggerFactory;

/**
 * Starts SLF4J on the test launcher's thread before any test runs, so that the first actor system's
 * threads do not race its initialisation (SLF4J would then replay their first log calls and say so on
 * stderr, in the middle of the build's output). Registered through META-INF/services; shipped in this
 * module's test jar, so the modules whose tests use that jar get it too.
 */
public final class Slf4jFirst implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LoggerFactory.getILoggerFactory();
    }
}
