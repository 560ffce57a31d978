package org.ioreqsim.sim.script;

import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.domain.DomainSnapshot;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.domain.InterceptSpec;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.DmOpCall;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.sim.exec.DeterministicRuntime;
import org.ioreqsim.sim.exec.Inbox;
import org.ioreqsim.sim.machine.XenMachine;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.VcpuSnapshot;
import org.ioreqsim.vcpu.WorkloadFactory;

/**
 * Runs a script on a {@link DeterministicRuntime}: each step is sent, the whole system runs to
 * quiescence, and the step's result plus everything that happened meanwhile becomes one transcript
 * line. The same script always gives the same transcript.
 */
public final class ScriptRunner implements AutoCloseable {
    private final List<Step> steps;
    private XenOptions options;
    private DeterministicRuntime rt;
    private XenMachine machine;
    private Host host;
    private ActorRef<HypervisorMessage> xen;
    private final Map<Integer, ActorRef<Domain.Command>> domains = new TreeMap<>();
    private final Map<Integer, String> lastState = new TreeMap<>();
    private final Map<Integer, Integer> lastFindings = new HashMap<>();
    private final Map<String, HandEmulator> hands = new TreeMap<>();
    private final Map<String, Inbox<Outcome>> outcomes = new TreeMap<>();
    private final Map<String, ArrayDeque<Integer>> pendingOps = new TreeMap<>();
    private final Inbox<EmulatorEvent> emulatorEvents = new Inbox<>();
    private ActorRef<EmulatorEvent> emulatorEventsRef;
    private final QemuSteps qemu = new QemuSteps();
    private final GuestSteps guest = new GuestSteps();
    private final XenLog xenLog = new XenLog();
    private long seq;

    public ScriptRunner(List<Step> steps) {
        this(steps, XenOptions.SEED);
    }

    /** A runner whose Xen options start as {@code base}; the script's {@code option} steps change them further. */
    public ScriptRunner(List<Step> steps, XenOptions base) {
        this.steps = steps;
        this.options = base;
    }

    /** Runs every step and returns the transcript. */
    public List<TranscriptLine> run() {
        List<TranscriptLine> out = new ArrayList<>();
        TranscriptLine last = null;
        for (Step s : steps) {
            if (s.verb().equals("expect")) {
                out.add(Expect.check(s, last == null ? -1 : last.line(), last == null ? List.of() : last.events()));
                continue;
            }
            last = runStep(s);
            out.add(last);
        }
        return out;
    }

    private TranscriptLine runStep(Step s) {
        if (!s.verb().equals("option")) {
            start();
        }
        List<String> events = new ArrayList<>();
        Out result;
        try {
            result = execute(s, events);
        } catch (ScriptStepException e) {
            result = Out.of("error").put("why", e.getMessage().replace(' ', '_'));
        }
        rt();
        collect(events);
        String rendered = result.render();
        Boolean matched = s.expected() == null ? null : TranscriptLine.matches(s.expected(), rendered);
        return new TranscriptLine(s.line(), s.text(), rendered, result.fields(), events, s.expected(), matched);
    }

    private void rt() {
        if (rt != null) {
            rt.drain();
        }
    }

    private void start() {
        if (rt != null) {
            return;
        }
        rt = new DeterministicRuntime("ioreq-sim-script");
        host = new Host(xenLog);
        machine = XenMachine.start(rt, host, options, WorkloadFactory.IDLE);
        xen = machine.xen();
        emulatorEventsRef = rt.spawn(emulatorEvents.behavior(), "emulator-events");
        domains.put(0, null);
    }

    private Out execute(Step s, List<String> events) {
        switch (s.verb()) {
            case "option":
                return option(s);
            case "domain create":
                return createDomain(s);
            case "domain destroy":
                return destroyDomain(s);
            case "domain pause":
                return pause(s, true);
            case "domain unpause":
                return pause(s, false);
            case "domain shutdown":
                rt.ask(domain(dom(s.pos(0))), (ActorRef<akka.Done> r) -> new Domain.Shutdown(r));
                return Out.ok();
            case "vcpu add": {
                Result<Integer> r = rt.ask(domain(dom(s.pos(0))), (ActorRef<Result<Integer>> x) -> new Domain.AddVcpu(x));
                return r.isOk() ? Out.ok().put("vcpu", r.value()) : Out.of(r);
            }
            case "vcpu remove":
                return removeVcpu(s);
            case "acquire_resource":
                return acquire(s);
            case "param set":
                return hypercall(dom(s.pos(0)), new Hypercall.SetParam(paramDomid(s.pos(1)),
                        HvmParam.parse(s.pos(2)), Numbers.parse(s.pos(3))));
            case "param get":
                return hypercall(dom(s.pos(0)), new Hypercall.GetParam(paramDomid(s.pos(1)),
                        HvmParam.parse(s.pos(2))));
            case "io":
                return io(s, guestIo(s));
            case "rtc":
                return io(s, new GuestOp.SetRtcOffset(Numbers.parse(s.pos(1))));
            case "invalidate":
                return io(s, new GuestOp.DecreaseReservation());
            case "qemu":
                return qemu.start(this, s);
            case "log":
                xenLog.set(s.pos(0).equalsIgnoreCase("on"));
                return Out.ok().put("log", s.pos(0).toLowerCase(Locale.ROOT));
            case "wait":
                rt.advance(s.positional().isEmpty() ? Duration.ZERO : duration(s.pos(0)));
                return Out.ok().put("now_ms", rt.nowMillis());
            default:
                if (s.verb().startsWith("dmop ")) {
                    return dmop(s);
                }
                if (s.verb().startsWith("emu ")) {
                    return EmuSteps.run(this, s, events);
                }
                if (s.verb().startsWith("evtchn ") || s.verb().equals("domain kill")) {
                    return guest.run(this, s);
                }
                if (s.verb().equals("guest shutdown")) {
                    return io(s, new GuestOp.SchedOpShutdown(GuestSteps.shutdownReason(s.arg("reason") == null
                            ? "poweroff" : s.arg("reason"))));
                }
                if (s.verb().startsWith("show ")) {
                    return Show.show(this, s);
                }
                throw new IllegalStateException("no handler for " + s.verb());
        }
    }

    private Out option(Step s) {
        if (rt != null) {
            return Out.of("refused").put("why", "options_must_come_before_the_first_other_step");
        }
        boolean on = s.positional().size() < 2 || s.pos(1).equalsIgnoreCase("on");
        options = options.with(s.pos(0), on);
        return Out.ok().put("options", String.join(",", options.enabled()));
    }

    private Out createDomain(Step s) {
        int vcpus = (int) s.num("vcpus", 1);
        DomainConfig cfg = s.has("stubdom-for")
                ? DomainConfig.stubdom("stubdom", (int) s.num("stubdom-for", 0), options).withVcpus(vcpus)
                : DomainConfig.guest("domain", vcpus, options);
        if (s.has("vendor") || s.has("family")) {
            DomainConfig.CpuVendor v = "amd".equalsIgnoreCase(s.arg("vendor")) ? DomainConfig.CpuVendor.AMD
                    : DomainConfig.CpuVendor.INTEL;
            cfg = cfg.withCpu(v, (int) s.num("family", 6), true);
        }
        if (s.has("hvm")) {
            cfg = cfg.withHvm(bool(s.arg("hvm")));
        }
        if (s.has("hap")) {
            cfg = cfg.withHap(bool(s.arg("hap")));
        }
        if (s.has("maxport")) {
            cfg = cfg.withMaxEvtchnPort((int) s.num("maxport", Xen.DEFAULT_MAX_EVTCHN_PORT));
        }
        cfg = cfg.withEmulatedVga(s.flag("vga")).withCreatePaused(s.flag("paused"));
        List<InterceptSpec> intercepts = new ArrayList<>();
        for (String i : s.all("intercept")) {
            String[] p = i.split(":");
            intercepts.add(new InterceptSpec(p[0], p[1].equals("mmio"), Numbers.parse(p[2]), Numbers.parse(p[3]),
                    p.length > 4));
        }
        cfg = cfg.withIntercepts(intercepts);
        if (!s.all("ram").isEmpty()) {
            List<long[]> ram = new ArrayList<>();
            for (String r : s.all("ram")) {
                ram.add(Spans.parse(r));
            }
            cfg = cfg.withRam(ram);
        }
        DomainConfig finalCfg = cfg;
        int requested = s.positional().isEmpty() ? -1 : dom(s.pos(0));
        Hypervisor.DomainCreated c = rt.ask(xen,
                (ActorRef<Hypervisor.DomainCreated> r) -> new Hypervisor.CreateDomain(finalCfg, requested, r));
        if (!c.domid().isOk()) {
            return Out.of(c.domid());
        }
        int d = c.domid().value();
        domains.put(d, c.domain());
        lastState.put(d, "RUNNING");
        return Out.ok().put("domid", d);
    }

    private Out destroyDomain(Step s) {
        int d = dom(s.pos(0));
        Result<Long> r = rt.ask(xen, (ActorRef<Result<Long>> x) -> new Hypervisor.DestroyDomain(d, x));
        if (r.isOk()) {
            domains.remove(d);
            lastState.remove(d);
        }
        return Out.of(r);
    }

    private Out pause(Step s, boolean pause) {
        ActorRef<Domain.Command> d = domain(dom(s.pos(0)));
        if (pause) {
            rt.ask(d, (ActorRef<akka.Done> r) -> new Domain.Pause(r));
            return Out.ok();
        }
        return Out.of(rt.ask(d, (ActorRef<Result<Long>> r) -> new Domain.Unpause(r)));
    }

    private Out removeVcpu(Step s) {
        int[] dv = vcpu(s.pos(0));
        Result<Integer> r = rt.ask(domain(dv[0]), (ActorRef<Result<Integer>> x) -> new Domain.RemoveVcpu(dv[1], x));
        return Out.of(r);
    }

    private Out dmop(Step s) {
        int caller = dom(s.pos(0));
        int target = dom(s.pos(1));
        DmOp op = DmOpSteps.op(s);
        long nrBufs = s.num("nrbufs", 1);
        long bufSize = s.num("bufsize", 8L + op.payloadSize());
        DmOpCall call = new DmOpCall(nrBufs, bufSize, s.num("headerpad", 0), op);
        return hypercall(caller, new Hypercall.DmOpHypercall(target, call));
    }

    private Out acquire(Step s) {
        return hypercall(dom(s.pos(0)), new Hypercall.AcquireResource(dom(s.pos(1)), s.num("type", 0),
                s.num("id", 0), s.num("frame", 0), s.num("nr", 1), s.num("flags", 0), s.flag("nolist")));
    }

    /** Makes a hypercall as {@code caller} and describes the answer with its out-fields. */
    Out hypercall(int caller, Hypercall h) {
        Result<HypercallOutput> r = call(caller, h);
        Out o = Out.of(r);
        if (r.isOk()) {
            OutputFields.describe(o, r.value());
        }
        return o;
    }

    Result<HypercallOutput> call(int caller, Hypercall h) {
        long n = ++seq;
        HypercallResult r = rt.ask(xen, (ActorRef<HypercallResult> x) -> new HypercallRequest(caller, h, n, x));
        return r.result();
    }

    private GuestOp guestIo(Step s) {
        boolean mmio = s.pos(1).equalsIgnoreCase("mmio");
        IoDirection dir = s.pos(2).equalsIgnoreCase("read") ? IoDirection.READ : IoDirection.WRITE;
        boolean ptr = s.has("ptr");
        long data = ptr ? s.num("ptr", 0) : s.num("value", 0);
        return new GuestOp.Io(mmio, Numbers.parse(s.pos(3)), (int) s.num("size", 1), s.num("count", 1), dir,
                s.flag("df"), ptr, data);
    }

    /** Starts a guest operation; it either ends while the system runs to quiescence, or it blocks. */
    private Out io(Step s, GuestOp op) {
        int[] dv = vcpu(s.pos(0));
        String key = dv[0] + "." + dv[1];
        Inbox<Outcome> inbox = outcomes.computeIfAbsent(key, k -> new Inbox<>());
        ActorRef<Outcome> ref = outcomeRefs.computeIfAbsent(key, k -> rt.spawn(inbox.behavior(), "outcomes-" +
                k.replace('.', '-')));
        domain(dv[0]).tell(new Domain.RunOnVcpu(dv[1], op, ref));
        pendingOps.computeIfAbsent(key, k -> new ArrayDeque<>()).add(s.line());
        rt.drain();
        Outcome o = inbox.poll();
        if (o == null) {
            VcpuSnapshot v = vcpuSnapshot(dv[0], dv[1]);
            return Out.of("blocked").put("vcpu", v.describe());
        }
        pendingOps.get(key).poll();
        return outcome(o);
    }

    private final Map<String, ActorRef<Outcome>> outcomeRefs = new TreeMap<>();

    static Out outcome(Outcome o) {
        Out out = switch (o.kind()) {
            case DONE -> Out.of("done");
            case GP_FAULT -> Out.of("#GP");
            case DOMAIN_CRASHED -> Out.of("crashed");
            case ABANDONED -> Out.of("abandoned");
        };
        if (o.kind() == Outcome.Kind.DONE && o.op() instanceof GuestOp.Io io && io.isRead() && !io.dataIsPtr()) {
            out.hex("value", o.value());
        }
        if (o.op() instanceof GuestOp.Io) {
            out.put("reps", o.reps());
            if (o.passes() > 1) {
                out.put("passes", o.passes());
            }
        }
        out.put("route", o.route().key());
        if (o.buffered()) {
            out.put("buffered", "yes");
        }
        return out;
    }


    /** After a step: completions of earlier accesses, upcalls, emulator facts, domain state changes. */
    private void collect(List<String> events) {
        for (Map.Entry<String, Inbox<Outcome>> e : outcomes.entrySet()) {
            Outcome o;
            while ((o = e.getValue().poll()) != null) {
                Integer line = pendingOps.get(e.getKey()).poll();
                events.add("io " + e.getKey() + " (line " + line + ") " + outcome(o).render());
            }
        }
        hands.values().forEach(h -> h.collectUpcalls(events));
        guest.collect(events);
        xenLog.collect(events);
        EmulatorEvent ev;
        while ((ev = emulatorEvents.poll()) != null) {
            events.add(QemuSteps.describe(ev));
        }
        for (Map.Entry<Integer, ActorRef<Domain.Command>> d : domains.entrySet()) {
            if (d.getValue() == null) {
                continue;
            }
            DomainSnapshot snap = rt.ask(d.getValue(), (ActorRef<DomainSnapshot> r) -> new Domain.Inspect(r));
            String state = snap.state().name();
            if (!state.equals(lastState.get(d.getKey()))) {
                events.add("domain " + d.getKey() + " " + state
                        + (snap.crashReason() == null ? "" : ": " + snap.crashReason()));
                lastState.put(d.getKey(), state);
            }
            int seen = lastFindings.getOrDefault(d.getKey(), 0);
            for (String f : snap.findings().subList(seen, snap.findings().size())) {
                events.add("finding d" + d.getKey() + ": " + f);
            }
            lastFindings.put(d.getKey(), snap.findings().size());
        }
    }

    VcpuSnapshot vcpuSnapshot(int d, int v) {
        return rt.ask(domain(d), (ActorRef<VcpuSnapshot> r) -> new Domain.InspectVcpu(v, r));
    }

    DomainSnapshot domainSnapshot(int d) {
        return rt.ask(domain(d), (ActorRef<DomainSnapshot> r) -> new Domain.Inspect(r));
    }

    ActorRef<Domain.Command> domain(int d) {
        ActorRef<Domain.Command> ref = domains.get(d);
        if (ref == null) {
            Hypervisor.DomainLookup l = rt.ask(xen, (ActorRef<Hypervisor.DomainLookup> r) ->
                    new Hypervisor.GetDomain(d, r));
            if (l.domain() == null) {
                throw new ScriptStepException("no domain " + d);
            }
            ref = l.domain();
        }
        return ref;
    }

    DeterministicRuntime runtime() {
        return rt;
    }

    XenMachine machine() {
        return machine;
    }

    Host host() {
        return host;
    }

    ActorRef<HypervisorMessage> hypervisor() {
        return xen;
    }

    ActorRef<EmulatorEvent> emulatorEvents() {
        return emulatorEventsRef;
    }

    Map<String, HandEmulator> hands() {
        return hands;
    }

    QemuSteps qemu() {
        return qemu;
    }

    static int dom(String s) {
        return (int) Numbers.parse(s);
    }

    private static long paramDomid(String s) {
        return s.equalsIgnoreCase("self") ? Xen.DOMID_SELF : Numbers.parse(s);
    }

    static int[] vcpu(String s) {
        int dot = s.indexOf('.');
        return new int[] {Integer.parseInt(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1))};
    }

    static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes", "on", "true", "1" -> true;
            default -> false;
        };
    }

    private static Duration duration(String v) {
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("us")) {
            return Duration.ofNanos(Long.parseLong(v.substring(0, v.length() - 2)) * 1000);
        }
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
    }

    @Override
    public void close() {
        if (rt != null) {
            rt.close();
        }
    }
}
