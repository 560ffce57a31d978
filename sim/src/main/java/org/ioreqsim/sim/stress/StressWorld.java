package org.ioreqsim.sim.stress;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.domain.Domain;
import org.ioreqsim.domain.DomainConfig;
import org.ioreqsim.domain.Hypervisor;
import org.ioreqsim.domain.ServerSelector;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.HypervisorMessage;
import org.ioreqsim.sim.exec.Spawner;
import org.ioreqsim.sim.machine.XenMachine;

/**
 * The root actor of one schedule: it spawns the hypervisor ({@code xen}), creates the program's guests
 * (and stub domains for their emulators), then spawns one actor per client lane ({@code d<domid>-c<k>})
 * and per toolstack ({@code d<domid>-ts}) and starts every vCPU. Everything after that is the lanes'
 * and the model's doing.
 */
public final class StressWorld {

    /** Its protocol: only the hypervisor's answers to domain creation. */
    public sealed interface Msg {
    }

    private record Created(Hypervisor.DomainCreated created) implements Msg {
    }

    private StressWorld() {
    }

    /** The world of {@code program} on {@code host}; guest operations come from {@code scripts}. */
    static Behavior<Msg> create(Program program, XenOptions options, Host host, VcpuScripts scripts, Monitor monitor,
                                ServerSelector selector) {
        return Behaviors.setup(ctx -> {
            ActorRef<HypervisorMessage> xen = XenMachine.start(Spawner.of(ctx), host, options, scripts, selector).xen();
            ActorRef<Hypervisor.DomainCreated> created = ctx.messageAdapter(Hypervisor.DomainCreated.class, Created::new);
            int expected = 0;
            for (Program.DomainSetup d : program.domains()) {
                DomainConfig cfg = DomainConfig.guest("guest" + d.domid(), d.vcpus(), options)
                        .withEmulatedVga(d.emulatedVga()).withMaxEvtchnPort(d.maxEvtchnPort())
                        .withBufioreqRingStart(d.ringStart());
                xen.tell(new Hypervisor.CreateDomain(cfg, d.domid(), created));
                expected++;
                if (d.emulatorDomid() != 0) {
                    monitor.emulatorDomain(d.emulatorDomid());
                    xen.tell(new Hypervisor.CreateDomain(DomainConfig.stubdom("dm" + d.domid(), d.domid(), options),
                            d.emulatorDomid(), created));
                    expected++;
                }
            }
            return waiting(program, host, scripts, monitor, xen, expected, new TreeMap<>());
        });
    }

    private static Behavior<Msg> waiting(Program program, Host host, VcpuScripts scripts, Monitor monitor,
                                         ActorRef<HypervisorMessage> xen, int expected,
                                         Map<Integer, ActorRef<Domain.Command>> domains) {
        return Behaviors.receive(Msg.class)
                .onMessage(Created.class, m -> {
                    if (m.created().domid().isOk()) {
                        domains.put(m.created().domid().value(), m.created().domain());
                    }
                    if (expected > 1) {
                        return waiting(program, host, scripts, monitor, xen, expected - 1, domains);
                    }
                    return Behaviors.setup(ctx -> {
                        startLanes(ctx, program, host, monitor, xen, domains);
                        return Behaviors.receive(Msg.class).build();
                    });
                })
                .build();
    }

    private static void startLanes(akka.actor.typed.javadsl.ActorContext<Msg> ctx, Program program, Host host,
                                   Monitor monitor, ActorRef<HypervisorMessage> xen,
                                   Map<Integer, ActorRef<Domain.Command>> domains) {
        List<ActorRef<Domain.Command>> guests = new ArrayList<>();
        for (Program.DomainSetup d : program.domains()) {
            ActorRef<Domain.Command> domain = domains.get(d.domid());
            if (domain == null) {
                continue;
            }
            guests.add(domain);
            for (int k = 0; k < d.clients(); k++) {
                String lane = Program.clientLane(d.domid(), k);
                ctx.spawn(ClientLane.create(lane, d, program.lane(lane), host, xen.narrow(), monitor),
                        lane.replace('.', '-'));
            }
            String ts = Program.toolstackLane(d.domid());
            ctx.spawn(ToolstackLane.create(ts, d.domid(), domain, program.lane(ts), xen, monitor), ts.replace('.', '-'));
        }
        for (ActorRef<Domain.Command> g : guests) {
            g.tell(Domain.StartVcpus.INSTANCE);
        }
    }
}
