package org.ioreqsim.domain;

import org.ioreqsim.vcpu.DomainMessage;

/**
 * Work that runs with the domain paused. A command that needs the pause becomes one of these; if the
 * pause is not yet in effect (the vCPUs have not all stopped), the domain stashes it, ahead of every
 * command that arrives meanwhile, and runs it once the last vCPU has acknowledged. Never sent between
 * actors: it lives only in the domain's stash.
 */
sealed interface PausedWork extends DomainMessage {

    /** {@code XEN_DOMCTL_pausedomain}: answer once no vCPU runs guest code; the pause is kept. */
    record ToolstackPause(Domain.Pause command) implements PausedWork {
    }

    /** {@code hvm_vcpu_initialise}, then unpause. */
    record VcpuInitialise(Domain.AddVcpu command) implements PausedWork {
    }

    /** {@code hvm_vcpu_destroy}, then unpause. */
    record VcpuDestroy(Domain.RemoveVcpu command) implements PausedWork {
    }

    /** A dm_op whose checks before the pause passed (create, set_state, destroy), then unpause. */
    record DmOpPaused(Domain.DmOpRequest request, DmOps.Paused op) implements PausedWork {
    }

    /** Pre-seed: a toolstack param read that creates the default server, then unpause. */
    record DefaultServerCreate(Domain.GetParam request) implements PausedWork {
    }

    /** {@code domain_kill} up to its preemption in relinquish, past its {@code domain_pause}. */
    record DomainKillPreempted(Domain.KillPreempted command) implements PausedWork {
    }

    /** {@code domain_kill} past its {@code domain_pause}; the pause is never released. */
    record DomainKill(Domain.Kill command) implements PausedWork {
    }
}
