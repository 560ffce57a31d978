package org.ioreqsim.sim.run.fleet;

import org.ioreqsim.sim.cluster.ClusterMessage;

/**
 * What a fleet host tells the member that submitted the run, across the network: that it started
 * (and where), how far it got now and then, and its figures or why it failed.
 */
public sealed interface FleetEvent extends ClusterMessage {

    /** The run this event belongs to. */
    String runId();

    /** The host that sends it. */
    String host();

    /** Host {@code host} took the run on {@code member} ({@code host:port}) and is building its machine. */
    record HostStarted(String runId, String host, String member) implements FleetEvent {
    }

    /** Host {@code host} has completed {@code completed} operations (about every second). */
    record HostProgress(String runId, String host, long completed) implements FleetEvent {
    }

    /** Host {@code figures.host()} ended its run. */
    record HostFinished(String runId, HostFigures figures) implements FleetEvent {
        @Override
        public String host() {
            return figures.host();
        }
    }

    /** Host {@code host} could not run: {@code reason}, one line. */
    record HostFailed(String runId, String host, String member, String reason) implements FleetEvent {
    }
}
