package org.ioreqsim.sim.stress.found;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.sim.testkit.PropertyResult;
import org.ioreqsim.sim.testkit.ReplayResult;
import org.ioreqsim.sim.testkit.StressReplay;
import org.junit.jupiter.api.Test;

/**
 * Found by {@code ioreq-sim stress --seeds 30000} (the default campaign; seed 16811, 2026-12-03), shrunk
 * from 307 operations to 11: vCPU 1 is orphaned by the destruction of its server (H1), the toolstack
 * removes it, and while the removal's pause waits for it the vCPU wakes on its stale request and crashes
 * the domain (H1-stale); the domain tells both vCPUs of the crash, then completes the removal; the
 * removed incarnation takes the crash in only after that (its pause acknowledgement was ahead of it in
 * its mailbox) and ends its operation as DOMAIN_CRASHED. The monitors called that a removed vCPU that ran
 * ({@code remove.vcpu-ran}). It did not run: the crash came before the removal, and a domain tells a crash
 * only to the vCPUs it holds, so the monitor now accepts a removed incarnation's operation ending by a
 * crash of its domain, as it accepts one abandoned. Exported by {@code stress}; the exact replay is
 * the same schedule as the recording, now without the violation.
 */
class StressSeed16811RemovedVcpuCrashTest {

    private static final String TRACE = """
            {
              "format" : "ioreq-sim-stress-trace/1",
              "seed" : 16811,
              "testName" : "ioreq-sim stress --seed 16811 --traces=DIR",
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
                "fixes" : [ ],
                "faults" : [ ],
                "swarm" : true,
                "maxSteps" : 20000,
                "features" : [ ]
              },
              "strategy" : "pct(d=3), shrunk",
              "program" : {
                "domains" : [ {
                  "domid" : 1,
                  "vcpus" : 2,
                  "maxVcpus" : 3,
                  "emulatedVga" : true,
                  "maxEvtchnPort" : 1023,
                  "emulatorDomid" : 2,
                  "clients" : 1,
                  "ringStart" : 0
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
                    "enable" : true,
                    "manual" : true,
                    "devices" : 416,
                    "answerDelayMs" : 0
                  }
                }, {
                  "lane" : "d1.ts",
                  "op" : {
                    "op" : "set_param",
                    "index" : 32,
                    "value" : 1044464
                  }
                }, {
                  "lane" : "d1.v1",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : true,
                      "addr" : 655746,
                      "size" : 2,
                      "count" : 1,
                      "dir" : "WRITE",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 4097,
                      "read" : false
                    }
                  }
                }, {
                  "lane" : "d1.c0",
                  "op" : {
                    "op" : "destroy"
                  }
                }, {
                  "lane" : "d1.ts",
                  "op" : {
                    "op" : "set_param",
                    "index" : 33,
                    "value" : 8
                  }
                }, {
                  "lane" : "d1.v1",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : false,
                      "addr" : 3320,
                      "size" : 4,
                      "count" : 1,
                      "dir" : "WRITE",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 2147491884,
                      "read" : false
                    }
                  }
                }, {
                  "lane" : "d1.ts",
                  "op" : {
                    "op" : "remove_vcpu",
                    "vcpu" : 1
                  }
                }, {
                  "lane" : "d1.v1",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : false,
                      "addr" : 3327,
                      "size" : 1,
                      "count" : 1,
                      "dir" : "WRITE",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 250,
                      "read" : false
                    }
                  }
                }, {
                  "lane" : "d1.ts",
                  "op" : {
                    "op" : "add_vcpu"
                  }
                }, {
                  "lane" : "d1.v1",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : false,
                      "addr" : 3320,
                      "size" : 4,
                      "count" : 1,
                      "dir" : "WRITE",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 2147489816,
                      "read" : false
                    }
                  }
                }, {
                  "lane" : "d1.v1",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : false,
                      "addr" : 3325,
                      "size" : 1,
                      "count" : 1,
                      "dir" : "READ",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 0,
                      "read" : true
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
                "actor" : "xen",
                "message" : "Hypervisor.CreateDomain",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 4,
                "actor" : "xen/domain-1",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 5,
                "actor" : "xen/domain-0",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 6,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 7,
                "actor" : ".",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 8,
                "actor" : ".",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 9,
                "actor" : "d1-c0",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 10,
                "actor" : "d1-c0/answer-1",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 11,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 12,
                "actor" : "xen",
                "message" : "HypercallRequest(CreateIoreqServer)",
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
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 16,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 17,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 18,
                "actor" : "d1-ts",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 19,
                "actor" : "xen",
                "message" : "HypercallRequest(SetParam)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 20,
                "actor" : "xen/domain-1",
                "message" : "Domain.SetParam",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 21,
                "actor" : "xen/domain-2",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 22,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 23,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 24,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 25,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 26,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 27,
                "actor" : "xen",
                "message" : "HypercallRequest(AcquireResource)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 28,
                "actor" : "xen/domain-1",
                "message" : "Domain.AcquireResource",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 29,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 30,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 31,
                "actor" : "xen",
                "message" : "HypercallRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 32,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 33,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 34,
                "actor" : "xen",
                "message" : "HypercallRequest(SetIoreqServerState)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 35,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(SetIoreqServerState)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 36,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 37,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 38,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 39,
                "actor" : "d1-ts",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 40,
                "actor" : "xen",
                "message" : "HypercallRequest(SetParam)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 41,
                "actor" : "xen/domain-1",
                "message" : "Domain.SetParam",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 42,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 43,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.RingReady",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 44,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "AsyncInput",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 45,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.IoHandled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 46,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 47,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 48,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 49,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 50,
                "actor" : "d1-c0/qemu-1",
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
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 53,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 54,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 55,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 56,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 57,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 58,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 59,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 60,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 61,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 62,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
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
                "message" : "IoreqServer.Destroy",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 65,
                "actor" : "xen",
                "message" : "HypercallRequest(DestroyIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 66,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(DestroyIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 67,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 68,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 69,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 70,
                "actor" : "d1-ts",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 71,
                "actor" : "xen/domain-1",
                "message" : "Domain.RemoveVcpu",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 72,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "AsyncInput",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 73,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.IoHandled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 74,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 75,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 76,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 77,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 78,
                "actor" : "d1-c0/answer-1",
                "message" : "Answerer.Pending",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 79,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Take",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 80,
                "actor" : "d1-c0/answer-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 81,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Respond",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 82,
                "actor" : "d1-c0/answer-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 83,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 84,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 85,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 86,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 87,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 88,
                "actor" : "d1-c0/qemu-1",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 89,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 90,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 91,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 92,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 93,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 94,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 95,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.RingFailed",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 96,
                "actor" : "d1-c0",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 97,
                "actor" : "d1-c0/answer-1",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 98,
                "actor" : "d1-c0",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 99,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.EventChannelNotified",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 100,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 101,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.CrashDomain",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 102,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.DomainCrashed",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 103,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 104,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 105,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 106,
                "actor" : "d1-ts",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 107,
                "actor" : "xen/domain-1",
                "message" : "Domain.AddVcpu",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 108,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 109,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 110,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 111,
                "actor" : "d1-ts",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 112,
                "actor" : "xen/domain-1",
                "message" : "Domain.StartVcpus",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 113,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 114,
                "actor" : "xen/domain-1/vcpu-1-1",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 115,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 116,
                "actor" : "xen/domain-1/vcpu-1-1",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 117,
                "actor" : "xen/domain-1/vcpu-1-1",
                "message" : "Vcpu.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 118,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 119,
                "actor" : "xen/domain-1/vcpu-1-1",
                "message" : "Vcpu.IoHandled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 120,
                "actor" : "xen/domain-1/vcpu-1",
                "message" : "Vcpu.DomainCrashed",
                "detail" : null,
                "events" : [ ]
              } ],
              "expect" : {
                "digest" : "b62d3d190d3cfc445780b9b50c68f76c",
                "steps" : 121,
                "violations" : [ {
                  "rule" : "remove.vcpu-ran",
                  "detail" : "d1 vCPU 1 (a removed incarnation) finished Io[mmio=false, addr=3320, size=4, count=1, dir=WRITE, df=false, dataIsPtr=false, data=2147489816] as DOMAIN_CRASHED",
                  "step" : 120
                } ],
                "findings" : [ {
                  "name" : "H1",
                  "detail" : "d1 vCPU 1 orphaned by the destruction of server 0",
                  "step" : 84
                }, {
                  "name" : "H1-stale",
               \
            """
            + """
               "detail" : "d1 vCPU 1 was woken after its server was destroyed and its stale latched request failed the next emulation",
                  "step" : 101
                } ]
              },
              "shrunk" : {
                "operations" : 11,
                "preemptions" : 10,
                "originalOperations" : 307,
                "originalPreemptions" : 18
              }
            }\
            """;

    /**
     * The recording stopped at the violation; the replay takes every recorded decision (it runs past the
     * recording's last step, which only a run that did not stop there can) and reports nothing.
     */
    @Test
    void theRecordedScheduleRunsPastWhereItStoppedWithoutAViolation() {
        ReplayResult r = StressReplay.exact(TRACE);
        assertEquals("the recording ends at step 121 but the run goes on", r.divergence());
        assertEquals(List.of(), r.violations());
    }

    @Test
    void theRuleHoldsOnTheProgramUnderItsStrategy() {
        PropertyResult p = StressReplay.property(TRACE, "remove.vcpu-ran", 8);
        assertTrue(p.holds(), p::describe);
    }
}
