package org.ioreqsim.sim.cluster;

import akka.cluster.ConfigValidation;
import akka.cluster.JoinConfigCompatChecker;
import com.typesafe.config.Config;
import java.util.List;

/**
 * Akka's join check, run by the member that receives a join: a member whose ioreq-sim version or model code
 * fingerprint ({@link ClusterSettings#VERSION_KEY}, {@link ClusterSettings#FINGERPRINT_KEY}) differs from the
 * cluster's is refused, because a seed's schedule, and so a campaign's digest, depends on the code that runs it.
 * The refused member's join process then shuts it down with the reason
 * {@code CoordinatedShutdown.incompatibleConfigurationDetectedReason}, which {@link ClusterNode} reports.
 * Akka creates this class by reflection (no-argument constructor).
 */
public final class CodeCompatibility extends JoinConfigCompatChecker {
    private static final scala.collection.immutable.Seq<String> KEYS = scala.jdk.javaapi.CollectionConverters
            .asScala(List.of(ClusterSettings.VERSION_KEY, ClusterSettings.FINGERPRINT_KEY)).toList();

    @Override
    public scala.collection.immutable.Seq<String> requiredKeys() {
        return KEYS;
    }

    @Override
    public ConfigValidation check(Config toCheck, Config actualConfig) {
        return JoinConfigCompatChecker.fullMatch(KEYS, toCheck, actualConfig);
    }
}
