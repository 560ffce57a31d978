package org.ioreqsim.sim.script;

import java.util.List;
import org.ioreqsim.domain.DomainSnapshot;
import org.ioreqsim.domain.ServerSnapshot;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.server.EmulatorStats;
import org.ioreqsim.ioreq.server.IoreqServer;
import org.ioreqsim.vcpu.VcpuSnapshot;

/** The {@code show} steps: Xen's state as fields, for transcripts and expectations. */
final class Show {
    private Show() {
    }

    static Out show(ScriptRunner run, Step s) {
        switch (s.verb()) {
            case "show domain": {
                DomainSnapshot d = run.domainSnapshot(ScriptRunner.dom(s.pos(0)));
                Out o = Out.ok().put("state", d.state()).put("pause_count", d.pauseCount())
                        .hex("cf8", d.pciCf8()).put("servers", d.servers().size()).put("vcpus", d.vcpuIds().size());
                return d.crashReason() == null ? o : o.put("crash", d.crashReason().replace(' ', '_'));
            }
            case "show vcpu": {
                int[] dv = ScriptRunner.vcpu(s.pos(0));
                VcpuSnapshot v = run.vcpuSnapshot(dv[0], dv[1]);
                return Out.ok().put("state", v.describe()).put("io_req_state",
                        org.ioreqsim.ioreq.IoreqState.name(v.latched().state()));
            }
            case "show server": {
                ServerSnapshot srv = server(run, s.pos(0));
                if (srv == null) {
                    return Out.of("-2 ENOENT");
                }
                return Out.ok().put("enabled", srv.enabled() ? 1 : 0).put("mode", srv.mode())
                        .put("emulator", srv.emulatorDomid()).put("ports", srv.vcpuPorts().toString().replace(" ", ""))
                        .put("bufioreq_port", srv.bufioreqPort()).put("port_ranges", ranges(srv.portRanges()))
                        .put("memory_ranges", ranges(srv.memoryRanges())).put("pci_ranges", ranges(srv.pciRanges()))
                        .put("pending", srv.pendingVcpus().toString().replace(" ", ""));
            }
            case "show slot": {
                HandEmulator h = hand(run, s.pos(0));
                IoreqPage p = h == null ? null : h.slots();
                if (p == null) {
                    return Out.of("refused").put("why", "no_emulator_has_mapped_this_server");
                }
                return HandEmulator.describe(Out.ok(), p.load((int) s.num("vcpu", 0)));
            }
            case "show ring": {
                HandEmulator h = hand(run, s.pos(0));
                BufferedIoreqPage r = h == null ? null : h.ring();
                if (r == null) {
                    return Out.of("refused").put("why", "no_buffered_page_mapped");
                }
                long ptrs = r.pointers();
                return Out.ok().put("rp", BufferedIoreqPage.readPointerOf(ptrs) & 0xFFFFFFFFL)
                        .put("wp", BufferedIoreqPage.writePointerOf(ptrs) & 0xFFFFFFFFL)
                        .put("used", BufferedIoreqPage.used(ptrs));
            }
            case "show port": {
                EventChannel c = run.host().port(ScriptRunner.dom(s.pos(0)), (int) Numbers.parse(s.pos(1)));
                if (c == null) {
                    return Out.ok().put("state", "FREE");
                }
                Out o = Out.ok().put("state", c.state()).put("remote_domid", c.remoteDomid());
                if (c.remotePort() >= 0) {
                    o.put("remote_port", c.remotePort());
                }
                o.put("pending", c.isPending() ? 1 : 0).put("masked", c.isMasked() ? 1 : 0)
                        .put("xen", c.isXenConsumer() ? 1 : 0);
                return c.isXenConsumer() ? o.put("notify_vcpu", c.notifyVcpu()) : o;
            }
            case "show memory": {
                int d = ScriptRunner.dom(s.pos(0));
                return Out.ok().hex("value", run.host().guestMemory(d).read(Numbers.parse(s.pos(1)),
                        (int) s.num("size", 8)));
            }
            case "show emulator": {
                var ref = run.qemu().get(s.pos(0));
                if (ref == null) {
                    return Out.of("error").put("why", "no_such_emulator");
                }
                EmulatorStats st = run.runtime().ask(ref, (akka.actor.typed.ActorRef<EmulatorStats> r) ->
                        new IoreqServer.GetStats(r));
                return Out.ok().put("server", st.serverId()).put("requests", st.requests())
                        .put("buffered_delivered", st.bufferedDelivered()).put("buffered_polls", st.bufferedPolls())
                        .put("ring_high_water", st.ringHighWater()).put("upcalls", st.upcalls())
                        .put("spurious_upcalls", st.spuriousUpcalls()).put("notifications", st.notificationsIn())
                        .put("coalesced", st.coalesced()).put("timeoffset", st.timeoffset())
                        .put("invalidate", st.invalidate());
            }
            case "show p2m":
                return P2mView.show(run, s);
            case "show regs":
            case "show gfnpool":
            case "show physmap":
                return GuestViews.show(run, s);
            default:
                throw new IllegalStateException(s.verb());
        }
    }

    private static ServerSnapshot server(ScriptRunner run, String ds) {
        String[] p = ds.split(":");
        DomainSnapshot d = run.domainSnapshot(Integer.parseInt(p[0]));
        return d.servers().stream().filter(x -> x.id() == Integer.parseInt(p[1])).findFirst().orElse(null);
    }

    private static HandEmulator hand(ScriptRunner run, String ds) {
        String[] p = ds.split(":");
        for (HandEmulator h : run.hands().values()) {
            if (h.target == Integer.parseInt(p[0]) && h.serverId == Integer.parseInt(p[1]) && h.mapped()) {
                return h;
            }
        }
        return null;
    }

    private static String ranges(List<long[]> rs) {
        StringBuilder sb = new StringBuilder("[");
        for (long[] r : rs) {
            sb.append(sb.length() == 1 ? "" : ",").append(Numbers.hex(r[0]));
            if (r[1] != r[0]) {
                sb.append('-').append(Numbers.hex(r[1]));
            }
        }
        return sb.append(']').toString();
    }
}
