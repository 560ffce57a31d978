package org.ioreqsim.ioreq.hypercall;

import java.util.Objects;
import org.ioreqsim.ioreq.Result;

/** The answer to one hypercall, echoing the caller's sequence number. */
public record HypercallResult(long seq, Result<HypercallOutput> result) {
    public HypercallResult {
        Objects.requireNonNull(result, "result");
    }
}
