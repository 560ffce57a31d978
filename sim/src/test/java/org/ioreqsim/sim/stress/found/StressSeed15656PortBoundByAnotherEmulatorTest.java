package org.ioreqsim.sim.stress.found;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.sim.testkit.ReplayResult;
import org.ioreqsim.sim.testkit.StressReplay;
import org.junit.jupiter.api.Test;

/**
 * Found by {@code ioreq-sim stress --seeds 30000 --fix all --features all} (seed 15656, 2026-12-03; older
 * than that day's changes), shrunk to 7 operations: two emulators in dom0. The first, misbehaving, writes
 * 4 as vCPU 0's {@code vp_eport} in its own server's page and then binds "its" port for vCPU 0: port 4 is
 * server 1's ioreq port, unbound and allocated for dom0, so Xen lets it. Server 1's emulator starts
 * without a port for vCPU 0, and vCPU 0's request to server 1 wakes the first emulator, which finds
 * nothing in its own page. The vCPU stays blocked, as it would on Xen. The liveness monitor took server
 * 1's emulator for bound because the port was bound, and reported {@code liveness.vcpu-blocked}; it now
 * looks at which emulator the port's upcalls go to and names the misbehaviour ({@code EMU}).
 */
class StressSeed15656PortBoundByAnotherEmulatorTest {

    private static final String TRACE = """
            {
              "format" : "ioreq-sim-stress-trace/1",
              "seed" : 15656,
              "testName" : "ioreq-sim stress --seed 15656 --fix all --features all --traces=DIR",
              "codeVersion" : {
                "version" : "0.1.0-SNAPSHOT",
                "model" : "093581e24c18892f"
              },
              "config" : {
                "domains" : 1,
                "vcpus" : 2,
                "servers" : 2,
                "ops" : 40,
                "strategy" : "pct",
                "depth" : 3,
                "fixes" : [ "fixOrphanedCompletion", "fixBufferedDropClaim", "skipNonBufferedInBroadcast", "useLegacyGfns", "fixAddVcpuCleanup" ],
                "faults" : [ ],
                "swarm" : true,
                "maxSteps" : 20000,
                "features" : [ "cf8-wide", "bad-emulator", "crash-restart", "tight-ports", "ring-wrap" ]
              },
              "strategy" : "pct(d=3), shrunk",
              "program" : {
                "domains" : [ {
                  "domid" : 1,
                  "vcpus" : 2,
                  "maxVcpus" : 3,
                  "emulatedVga" : true,
                  "maxEvtchnPort" : 6,
                  "emulatorDomid" : 0,
                  "clients" : 2,
                  "ringStart" : 506
                } ],
                "faults" : {
                  "lost" : 0.0,
                  "dup" : 0.0,
                  "delay" : 0.0
                },
                "steps" : [ {
                  "lane" : "d1.c0",
                  "op" : {
                    "op" : "start",
                    "bufioreq" : 2,
                    "resource" : true,
                    "enable" : false,
                    "manual" : true,
                    "devices" : 72,
                    "answerDelayMs" : 0
                  }
                }, {
                  "lane" : "d1.c1",
                  "op" : {
                    "op" : "start",
                    "bufioreq" : 0,
                    "resource" : true,
                    "enable" : false,
                    "manual" : false,
                    "devices" : 1336,
                    "answerDelayMs" : 0
                  }
                }, {
                  "lane" : "d1.c0",
                  "op" : {
                    "op" : "misbehave",
                    "act" : "vp-eport",
                    "vcpu" : 0,
                    "value" : 4
                  }
                }, {
                  "lane" : "d1.c0",
                  "op" : {
                    "op" : "bind"
                  }
                }, {
                  "lane" : "d1.c1",
                  "op" : {
                    "op" : "set_state",
                    "enabled" : true
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "think",
                      "nanos" : 60000000
                    }
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : true,
                      "addr" : 655592,
                      "size" : 2,
                      "count" : 1,
                      "dir" : "WRITE",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 1,
                      "read" : false
                    }
                  }
                } ]
              },
              "faults" : "",
              "stopOnViolation" : true,
              "steps" : [ {
                "step" : 0,
                "actor" : "~/user",
                "message" : "ControlledSystem.StartWorld",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 1,
                "actor" : ".",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 2,
                "actor" : "xen",
                "message" : "Hypervisor.CreateDomain",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 3,
                "actor" : ".",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 4,
                "actor" : "d1-c0",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 5,
                "actor" : "d1-c0/answer-1",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 6,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 7,
                "actor" : "d1-c1",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 8,
                "actor" : "d1-c1/qemu-1",
                "message" : "IoreqServer.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 9,
                "actor" : "d1-ts",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 10,
                "actor" : "xen",
                "message" : "HypercallRequest(CreateIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 11,
                "actor" : "xen",
                "message" : "HypercallRequest(CreateIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 12,
                "actor" : "xen/domain-0",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 13,
                "actor" : "xen/domain-1",
                "message" : "Domain.StartVcpus",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 14,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(CreateIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 15,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(CreateIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 16,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 17,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 18,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 19,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 20,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 21,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 22,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 23,
                "actor" : "xen",
                "message" : "HypercallRequest(AcquireResource)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 24,
                "actor" : "xen/domain-1",
                "message" : "Domain.AcquireResource",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 25,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 26,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 27,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 28,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 29,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 30,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 31,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 32,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 33,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 34,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.RingReady",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 35,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "AsyncInput",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 36,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 37,
                "actor" : "xen",
                "message" : "HypercallRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 38,
                "actor" : "xen",
                "message" : "HypercallRequest(AcquireResource)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 39,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 40,
                "actor" : "xen/domain-1",
                "message" : "Domain.AcquireResource",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 41,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 42,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 43,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "AsyncInput",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 44,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 45,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 46,
                "actor" : "xen",
                "message" : "HypercallRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 47,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 48,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 49,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 50,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 51,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 52,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 53,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 54,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 55,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 56,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 57,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.SetVpEport",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 58,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 59,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.BindVcpu",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 60,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 61,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 62,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.BindVcpu",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 63,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 64,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.BindVcpu",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 65,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 66,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 67,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 68,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 69,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 70,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 71,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 72,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 73,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 74,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 75,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 76,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 77,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 78,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 79,
                "actor" : "d1-c1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 80,
                "actor" : "d1-c1/qemu-1",
                "message" : "IoreqServer.SetEnabled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 81,
                "actor" : "xen",
                "message" : "HypercallRequest(SetIoreqServerState)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 82,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(SetIoreqServerState)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 83,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 84,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 85,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 86,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 87,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 88,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 89,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 90,
                "actor" : "d1-c1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 91,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 92,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 93,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.ThinkElapsed",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 94,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 95,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 96,
                "actor" : "d1-c0/qemu-1",
                "message" : "TimerMsg",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 97,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "AsyncInput",
                "detail" : null,
                "events" : [ ]
              } ],
              "expect" : {
                "digest" : "477e693acd9a7034b742c3f4c6b8c9d2",
                "steps" : 98,
                "violations" : [ {
                  "rule" : "liveness.vcpu-blocked",
                  "detail" : "d1 vCPU 0 (Io[mmio=true, addr=655592, size=2, count=1, dir=WRITE, df=false, dataIsPtr=false, data=1]) is blocked on server 1 (slot STATE_IOREQ_READY) whose emulator is alive and bound",
                  "step" : 97
                } ],
                "findings" : [ {
                  "name" : "EMU",
                  "detail" : "d1 server 0 vCPU 0 vp_eport 0 -> 4 by its emulator (only Xen writes it, spec 7.1)",
                  "step" : 57
                } ]
              },
              "shrunk" : {
                "operations" : 7,
                "preemptions" : 0,
                "originalOperations" : 41,
                "originalPreemptions" : 24
              }
            }\
            """;

    @Test
    void theRecordedScheduleReplaysWithTheBlockedVcpuExplained() {
        ReplayResult r = StressReplay.exact(TRACE);
        assertTrue(r.matches(), () -> "the recorded schedule replays: "
                + (r.divergence() != null ? r.divergence() : "digest " + r.digest()));
        assertEquals(List.of(), r.violations());
        assertTrue(r.findings().containsKey("EMU"), () -> "findings: " + r.findings());
    }
}
