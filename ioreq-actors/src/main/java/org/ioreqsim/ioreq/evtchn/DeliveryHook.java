package org.ioreqsim.ioreq.evtchn;

/**
 * Fault injection on event-channel delivery, for tests and the stress harness; off unless a
 * {@link org.ioreqsim.ioreq.host.Host} is built with one. When a port's table has a hook, every event
 * that would reach the port's consumer (an emulator's upcall, or Xen's "wake the notify vCPU" on a
 * Xen-attached port) is handed to the hook instead, which may deliver it once (what the model does
 * without a hook), drop it, deliver it twice, or keep it and deliver it later. The port's pending and
 * mask bits and its counters are updated as without a hook: a dropped event looks, to the model, like
 * one the receiver lost.
 */
@FunctionalInterface
public interface DeliveryHook {

    /** The event on {@code port} is due at {@code consumer}: call {@code consumer.deliver()} as many times as wanted. */
    void deliver(EventChannel port, EventChannelConsumer<?> consumer);
}
