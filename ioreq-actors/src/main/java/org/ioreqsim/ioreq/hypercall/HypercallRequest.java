package org.ioreqsim.ioreq.hypercall;

import akka.actor.typed.ActorRef;
import java.util.Objects;

/**
 * One hypercall made by a domain: the caller's domid, the call, a sequence number the answer echoes,
 * and where the answer goes.
 */
public record HypercallRequest(int callerDomid, Hypercall call, long seq, ActorRef<HypercallResult> replyTo)
        implements HypervisorMessage {
    public HypercallRequest {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(replyTo, "replyTo");
    }
}
