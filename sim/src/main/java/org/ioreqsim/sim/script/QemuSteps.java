package org.ioreqsim.sim.script;

import akka.actor.typed.ActorRef;
import java.util.Locale;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.PciFunction;
import org.ioreqsim.ioreq.device.RamMmioRegion;
import org.ioreqsim.ioreq.device.RegisterFilePortDevice;
import org.ioreqsim.ioreq.server.EmulatorConfig;
import org.ioreqsim.ioreq.server.EmulatorEvent;
import org.ioreqsim.ioreq.server.IoreqServer;

/** {@code qemu EMU TARGET ...}: a QEMU-like emulator that starts as QEMU does and answers by itself. */
final class QemuSteps {
    private int spawned;
    private final java.util.Map<String, ActorRef<IoreqServer.Command>> byName = new java.util.TreeMap<>();

    /** The emulator started as {@code name} (qemu-1, qemu-2, ...), or {@code null}. */
    ActorRef<IoreqServer.Command> get(String name) {
        return byName.get(name);
    }

    Out start(ScriptRunner run, Step s) {
        int emu = ScriptRunner.dom(s.pos(0));
        int target = ScriptRunner.dom(s.pos(1));
        DeviceMap.Builder devices = DeviceMap.builder();
        int n = 0;
        for (String p : s.all("port")) {
            long[] r = Spans.parse(p);
            devices.port(r[0], r[1] - r[0] + 1, new RegisterFilePortDevice("port" + n++, (int) (r[1] - r[0] + 1)));
        }
        for (String m : s.all("mmio")) {
            long[] r = Spans.parse(m);
            devices.mmio(r[0], r[1] - r[0] + 1, new RamMmioRegion("mmio" + n++, r[1] - r[0] + 1));
        }
        for (String b : s.all("pci")) {
            String[] bd = b.split("[:.]");
            long sbdf = Pci.sbdf(0, Integer.parseInt(bd[0], 16), Integer.parseInt(bd[1], 16),
                    Integer.parseInt(bd[2]));
            devices.pci(new PciFunction("pci" + n++, sbdf, 0x5853, 0x0001, 0xFF0000, 1));
        }
        BufioreqMode mode = s.has("bufioreq") ? BufioreqMode.valueOf(s.arg("bufioreq").toUpperCase(Locale.ROOT))
                : BufioreqMode.ATOMIC;
        int vcpus = (int) s.num("vcpus", run.domainSnapshot(target).vcpuIds().size());
        EmulatorConfig cfg = EmulatorConfig.qemu(emu, target, devices.build(), vcpus).withBufioreqMode(mode)
                .withResourceMapping(!s.flag("gfn"));
        if (s.flag("manual")) {
            cfg = cfg.withHandling(EmulatorConfig.Handling.MANUAL);
        }
        if (s.flag("disabled")) {
            cfg = new EmulatorConfig(cfg.emulatorDomid(), cfg.targetDomid(), cfg.bufioreqMode(), cfg.devices(),
                    cfg.resourceMapping(), cfg.vcpus(), cfg.handling(), false, cfg.drainOnUpcall(), cfg.bufferPoll(),
                    cfg.defaultServer());
        }
        // The script's handle is qemu-N in the order the script starts emulators; the actor is named by the
        // machine's scheme (qemu-<guest>-<n>).
        ActorRef<IoreqServer.Command> ref = run.machine().spawnEmulator(cfg, run.emulatorEvents());
        ++spawned;
        ref.tell(IoreqServer.Start.INSTANCE);
        byName.put("qemu-" + spawned, ref);
        return Out.ok().put("emulator", "qemu-" + spawned);
    }

    static String describe(EmulatorEvent e) {
        if (e instanceof EmulatorEvent.Started st) {
            return "qemu for d" + st.targetDomid() + " started: server " + st.serverId() + " bufioreq_port "
                    + st.bufioreqPort() + " local ports " + st.localPorts();
        } else if (e instanceof EmulatorEvent.StartFailed f) {
            return "qemu for d" + f.targetDomid() + " failed to start at " + f.step() + ": " + f.errno().describe();
        } else if (e instanceof EmulatorEvent.Failed f) {
            return "qemu server " + f.targetDomid() + ":" + f.serverId() + " died: " + f.reason();
        } else if (e instanceof EmulatorEvent.RequestPending p) {
            return "qemu server " + p.targetDomid() + ":" + p.serverId() + " has a request of vcpu " + p.vcpu();
        } else if (e instanceof EmulatorEvent.Destroyed d) {
            return "qemu server " + d.targetDomid() + ":" + d.serverId() + " destroyed";
        }
        return e.toString();
    }
}
