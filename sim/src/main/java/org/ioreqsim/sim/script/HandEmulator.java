package org.ioreqsim.sim.script;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.page.Page;
import org.ioreqsim.sim.exec.Inbox;

/**
 * An emulator played by a script, step by step, through exactly what QEMU has: the server's mapped
 * pages, its event-channel device (binds, sends, consume/unmask), and nothing else. Upcalls are
 * recorded and shown; per-vCPU ports are consumed and unmasked as QEMU does when it reads them, the
 * bufioreq port is consumed and left masked.
 */
final class HandEmulator {
    final int emulatorDomid;
    final int target;
    final int serverId;
    private final Host host;
    private final Inbox<Integer> upcalls;
    private final ActorRef<Integer> upcallRef;
    private final Map<Integer, Integer> localByVcpu = new TreeMap<>();
    private final Map<Integer, Integer> vcpuByLocal = new TreeMap<>();
    private int bufLocal = -1;
    private IoreqPage slots;
    private BufferedIoreqPage ring;
    /** QEMU's handling of an upcall: consume the event, unmask a per-vCPU port (the script may turn either off). */
    private boolean consume = true;
    private boolean unmask = true;

    HandEmulator(int emulatorDomid, int target, int serverId, Host host, Inbox<Integer> upcalls,
                 ActorRef<Integer> upcallRef) {
        this.emulatorDomid = emulatorDomid;
        this.target = target;
        this.serverId = serverId;
        this.host = host;
        this.upcalls = upcalls;
        this.upcallRef = upcallRef;
    }

    String name() {
        return emulatorDomid + ":" + target + ":" + serverId;
    }

    void attach(Page ioreq, Page bufioreq) {
        slots = ioreq == null ? null : new IoreqPage(ioreq);
        ring = bufioreq == null ? null : new BufferedIoreqPage(bufioreq);
    }

    boolean mapped() {
        return slots != null;
    }

    IoreqPage slots() {
        return slots;
    }

    BufferedIoreqPage ring() {
        return ring;
    }

    /** Binds the vCPU's port as read from its slot's vp_eport. */
    Out bindVcpu(int vcpu) {
        if (slots == null) {
            return Out.of("-22 EINVAL").put("why", "pages_not_mapped");
        }
        int remote = (int) slots.vpEport(vcpu);
        Result<Integer> r = bind(remote);
        if (r.isOk()) {
            localByVcpu.put(vcpu, r.value());
            vcpuByLocal.put(r.value(), vcpu);
        }
        return r.isOk() ? Out.ok().put("local_port", r.value()).put("remote_port", remote) : Out.of(r);
    }

    Out bindBufioreq(int remotePort) {
        Result<Integer> r = bind(remotePort);
        if (r.isOk()) {
            bufLocal = r.value();
        }
        return r.isOk() ? Out.ok().put("local_port", r.value()).put("remote_port", remotePort) : Out.of(r);
    }

    private Result<Integer> bind(int remotePort) {
        return host.bindInterdomain(emulatorDomid, target, remotePort,
                port -> new EventChannelConsumer<>(upcallRef, port));
    }

    /** QEMU's take: READY -> INPROCESS, and the request as the slot holds it. */
    Out take(int vcpu) {
        if (slots == null) {
            return Out.of("-22 EINVAL").put("why", "pages_not_mapped");
        }
        int before = slots.state(vcpu);
        if (!slots.compareAndSetState(vcpu, IoreqState.READY, IoreqState.INPROCESS)) {
            return Out.of("refused").put("state", IoreqState.name(before));
        }
        return describe(Out.ok(), slots.load(vcpu));
    }

    /** Answers: data, IORESP_READY, then (unless {@code nosend}) a send on the vCPU's port. */
    Out respond(int vcpu, long value, boolean send) {
        if (slots == null) {
            return Out.of("-22 EINVAL").put("why", "pages_not_mapped");
        }
        String before = IoreqState.name(slots.state(vcpu));
        slots.setData(vcpu, value);
        slots.setState(vcpu, IoreqState.IORESP_READY);
        Out o = Out.ok().put("was", before);
        if (send) {
            Integer port = localByVcpu.get(vcpu);
            if (port == null) {
                return o.put("send", "not_bound");
            }
            o.put("send", host.send(emulatorDomid, port).describe().replace(' ', '_'));
        }
        return o;
    }

    Out setState(int vcpu, int state) {
        if (slots == null) {
            return Out.of("-22 EINVAL").put("why", "pages_not_mapped");
        }
        String before = IoreqState.name(slots.state(vcpu));
        slots.setState(vcpu, state);
        return Out.ok().put("was", before).put("now", IoreqState.name(state));
    }

    /** Writes the slot's data alone, leaving its state as it is. */
    Out setData(int vcpu, long value) {
        if (slots == null) {
            return Out.of("-22 EINVAL").put("why", "pages_not_mapped");
        }
        slots.setData(vcpu, value);
        return Out.ok().put("state", IoreqState.name(slots.state(vcpu)));
    }

    /** How later upcalls are handled: consume the event or leave it pending, unmask the port or leave it masked. */
    Out eventHandling(Boolean consume, Boolean unmask) {
        if (consume != null) {
            this.consume = consume;
        }
        if (unmask != null) {
            this.unmask = unmask;
        }
        return Out.ok().put("consume", this.consume ? "yes" : "no").put("unmask", this.unmask ? "yes" : "no");
    }

    Out setEport(int vcpu, long port) {
        if (slots == null) {
            return Out.of("-22 EINVAL").put("why", "pages_not_mapped");
        }
        slots.setVpEport(vcpu, port);
        return Out.ok();
    }

    Out notify(Integer vcpu) {
        Integer port = vcpu == null ? (bufLocal < 0 ? null : bufLocal) : localByVcpu.get(vcpu);
        return port == null ? Out.of(Result.err(Errno.EINVAL)) : Out.of(host.send(emulatorDomid, port));
    }

    Out close(Integer vcpu) {
        Integer port = vcpu == null ? (bufLocal < 0 ? null : bufLocal) : localByVcpu.remove(vcpu);
        if (port == null) {
            return Out.of(Result.err(Errno.EINVAL));
        }
        if (vcpu == null) {
            bufLocal = -1;
        } else {
            vcpuByLocal.remove(port);
        }
        return Out.of(host.close(emulatorDomid, port));
    }

    /** The emulator process dies: its event-channel device closes every port it bound. */
    Out crash() {
        int n = 0;
        for (int p : new ArrayList<>(localByVcpu.values())) {
            host.close(emulatorDomid, p);
            n++;
        }
        if (bufLocal > 0) {
            host.close(emulatorDomid, bufLocal);
            n++;
        }
        localByVcpu.clear();
        vcpuByLocal.clear();
        bufLocal = -1;
        return Out.ok().put("ports_closed", n);
    }

    /** QEMU's handle_buffered_iopage, listing each item instead of dispatching it. */
    Out drain(List<String> events) {
        if (ring == null) {
            return Out.of("-22 EINVAL").put("why", "no_buffered_page");
        }
        int items = 0;
        while (true) {
            long ptrs = ring.pointers();
            int rp = BufferedIoreqPage.readPointerOf(ptrs);
            int wp = BufferedIoreqPage.writePointerOf(ptrs);
            if (rp == wp) {
                break;
            }
            long slot = ring.slotAt(rp);
            int code = BufferedIoreqPage.slotSizeCode(slot);
            long data = BufferedIoreqPage.slotData(slot);
            if (code == 3) {
                if (rp + 1 == wp) {
                    return Out.of("fatal").put("why", "incomplete_quad_word").put("items", items);
                }
                data |= BufferedIoreqPage.slotData(ring.slotAt(rp + 1)) << 32;
            }
            events.add("buffered item " + items + ": type=" + BufferedIoreqPage.slotType(slot) + " addr="
                    + Numbers.hex(BufferedIoreqPage.slotAddr(slot)) + " size=" + (1 << code) + " data="
                    + Numbers.hex(data) + " slot=" + BufferedIoreqPage.index(rp));
            ring.setReadPointer(rp + (code == 3 ? 2 : 1));
            items++;
        }
        return Out.ok().put("items", items).put("rp", ring.readPointer() & 0xFFFFFFFFL)
                .put("wp", ring.writePointer() & 0xFFFFFFFFL);
    }

    Out setRing(long rp, long wp) {
        if (ring == null) {
            return Out.of("-22 EINVAL").put("why", "no_buffered_page");
        }
        ring.setPointers((int) rp, (int) wp);
        return Out.ok();
    }

    /** Reads the upcalls that arrived, as QEMU's event loop would: consume, unmask per-vCPU ports. */
    void collectUpcalls(List<String> events) {
        Integer port;
        while ((port = upcalls.poll()) != null) {
            if (consume) {
                host.consume(emulatorDomid, port);
            }
            if (port == bufLocal) {
                events.add("upcall " + name() + " port=" + port + " bufioreq");
                continue;
            }
            if (unmask) {
                host.unmask(emulatorDomid, port);
            }
            Integer vcpu = vcpuByLocal.get(port);
            String state = vcpu == null || slots == null ? "" : " state=" + IoreqState.name(slots.state(vcpu));
            events.add("upcall " + name() + " port=" + port + (vcpu == null ? "" : " vcpu=" + vcpu) + state);
        }
    }

    static Out describe(Out o, Ioreq r) {
        return o.put("type", r.type().name().toLowerCase()).put("dir", r.dir().name().toLowerCase())
                .hex("addr", r.addr()).hex("data", r.data()).put("size", r.size()).put("count", r.count())
                .put("df", r.df() ? 1 : 0).put("data_is_ptr", r.dataIsPtr() ? 1 : 0).put("vp_eport", r.vpEport())
                .put("state", IoreqState.name(r.state()));
    }
}
