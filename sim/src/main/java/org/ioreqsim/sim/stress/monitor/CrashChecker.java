package org.ioreqsim.sim.stress.monitor;

import org.ioreqsim.ioreq.trace.ModelEvent;
import org.ioreqsim.sim.stress.ActorKey;
import org.ioreqsim.sim.stress.monitor.Shadows.DomainShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.ServerShadow;
import org.ioreqsim.sim.stress.monitor.Shadows.VcpuShadow;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.VcpuRequest;

/**
 * Failures the guest sees — a domain crash, a #GP, a hypervisor fault — must each have a cause the spec
 * gives (5: an emulation that fails crashes the domain for PIO, injects #GP for MMIO; 7.3: a slot in
 * an illegal state crashes it; 16: a stale latched request after an orphaning, H1-stale; a refused
 * send, H2/H11-H14/S10/EMU; a dropped page, H11; an enable before the pages, H12).
 */
final class CrashChecker extends Checker {

    CrashChecker(Context ctx) {
        super(ctx);
    }

    @Override
    void register(EventRouter router) {
        router.on(ModelEvent.DomainCrashed.class, this::onCrashed);
        router.on(ModelEvent.HypervisorFault.class, this::onHypervisorFault);
    }

    private void onCrashed(DomainShadow d, ModelEvent.DomainCrashed e) {
        d.crashed = true;
        if (!direct) {
            return;
        }
        String reason = e.reason();
        if (reason.startsWith("HYPERVISOR_FAULT")) {
            return;
        }
        if (reason.startsWith("hypervisor fault")) {
            if (Context.anyPageDropped(d)) {
                finding("H11", "d" + d.domid + " crashed: " + reason + " (its page was dropped by a failed "
                        + "acquire_resource)");
            } else {
                violation("crash.unexplained", "d" + d.domid + " crashed: " + reason);
            }
            return;
        }
        if (reason.startsWith("Weird HVM ioemulation status") || reason.startsWith("re-issued access does not match")) {
            // an emulation failure (hvmemul_do_io: UNHANDLEABLE, or a re-issue that does not match the latched
            // IORESP_READY request): explained only by a stale latched request (H1-stale) or a refused send
            // the vCPU raises the failure and asks its domain to crash (VcpuRequest.CrashDomain): the crash
            // itself happens in the domain's step, which names the vCPU
            ActorKey actor = ctx.actor;
            int vcpu = ctx.message instanceof VcpuRequest.CrashDomain c ? c.vcpuId()
                    : actor.kind() == ActorKey.Kind.VCPU ? actor.vcpu() : -1;
            String cause = d.vcpuCrashCause == null || d.vcpuCrashCause.isEmpty() ? null : d.vcpuCrashCause;
            if (cause == null && vcpu >= 0) {
                cause = explainEmulationFailure(d, vcpu);
            }
            if (cause == null) {
                violation("crash.unexplained", "d" + d.domid + " crashed: " + reason + " (vCPU " + vcpu
                        + ", last refusal: " + lastRefusal(d) + ")");
            }
            return;
        }
        if (reason.startsWith("Weird HVM ioreq state") || reason.startsWith("Weird HVM iorequest state")) {
            if (!Context.anyEmulatorMisbehaved(d)) {
                violation("crash.unexplained", "d" + d.domid + " crashed: " + reason
                        + " though no emulator wrote an illegal state");
            }
            return;
        }
        violation("crash.unexplained", "d" + d.domid + " crashed: " + reason);
    }

    private void onHypervisorFault(DomainShadow d, ModelEvent.HypervisorFault e) {
        d.faulted = true;
        boolean dropped = false;
        for (ServerShadow s : d.servers) {
            dropped |= s != null && s.pageDropped;
        }
        if (dropped || e.reason().contains("dropped")) {
            finding("H11", "d" + d.domid + ": " + e.reason() + " after a failed acquire_resource dropped its page");
        } else if (e.reason().contains("no ioreq page")) {
            finding("H12", "d" + d.domid + ": " + e.reason());
        } else {
            violation("fault.unexplained", "d" + d.domid + " hypervisor fault: " + e.reason());
        }
    }

    /** The current operation of {@code v} ended with {@code outcome}: a #GP or a crash needs a cause. */
    void guestOpEnded(DomainShadow d, VcpuShadow v, Outcome outcome) {
        if (outcome.kind() == Outcome.Kind.GP_FAULT) {
            if (direct && explainEmulationFailure(d, v.vcpu) == null) {
                violation("gp.unexplained", "d" + d.domid + " vCPU " + v.vcpu + " got #GP for " + outcome.op()
                        + " (last refusal: " + (v.lastRefusal == null ? "none" : v.lastRefusal) + ")");
            }
        } else if (outcome.kind() == Outcome.Kind.DOMAIN_CRASHED) {
            ActorKey actor = ctx.actor;
            if (direct && !d.crashed && d.vcpuCrashCause == null && actor.kind() == ActorKey.Kind.VCPU
                    && actor.vcpu() == v.vcpu) {
                // this vCPU's own emulation failure is crashing the domain; its domain reports it later
                d.vcpuCrashCause = explainEmulationFailure(d, v.vcpu);
                if (d.vcpuCrashCause == null) {
                    d.vcpuCrashCause = "";
                }
            }
        }
    }

    /**
     * Why a PIO emulation failed (domain crash) or an MMIO one injected #GP, or null if nothing the
     * spec allows explains it. Records the matching finding.
     */
    String explainEmulationFailure(DomainShadow d, int vcpu) {
        if (vcpu < 0) {
            return null;
        }
        VcpuShadow v = d.vcpu(vcpu);
        if (v.lastRefusalCause != null) {
            // this access's send was refused (spec 7.1 step 4) for a reason something earlier explains: that
            // refusal failed it, whether or not the vCPU was orphaned before (a woken orphan's stale latch
            // fails a re-issue, H1-stale, not a send; seed 240 of --strategy random --features all --fix all:
            // an orphan's next send refused on a slot a misbehaving emulator had answered, EMU)
            finding(v.lastRefusalCause, "d" + d.domid + " vCPU " + vcpu + ": send refused (" + v.lastRefusal
                    + ") and the guest access failed");
            if (v.lastRefusalCause.equals("H2") && options.fixAddVcpuCleanup() && !d.failedAdds.isEmpty()) {
                violation("H2", "d" + d.domid + " vCPU " + vcpu + " has no entry on a server after a failed vCPU "
                        + "creation although fixAddVcpuCleanup is on");
            }
            return v.lastRefusalCause;
        }
        if (v.orphaned || v.staleLatch) {
            if (options.fixOrphanedCompletion()) {
                violation("H1-stale", "d" + d.domid + " vCPU " + vcpu + " failed its next emulation after being "
                        + "orphaned although fixOrphanedCompletion is on (f7039ee41b)");
            } else {
                finding("H1-stale", "d" + d.domid + " vCPU " + vcpu + " was woken after its server was destroyed "
                        + "and its stale latched request failed the next emulation");
            }
            return "H1-stale";
        }
        return null;
    }

    private String lastRefusal(DomainShadow d) {
        VcpuShadow v = ctx.actor.vcpu() >= 0 ? d.vcpus.get(ctx.actor.vcpu()) : null;
        return v == null || v.lastRefusal == null ? "none" : v.lastRefusal + " at server " + v.lastRefusalServer;
    }
}
