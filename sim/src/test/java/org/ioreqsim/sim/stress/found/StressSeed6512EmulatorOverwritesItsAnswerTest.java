package org.ioreqsim.sim.stress.found;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ioreqsim.sim.testkit.PropertyResult;
import org.ioreqsim.sim.testkit.ReplayResult;
import org.ioreqsim.sim.testkit.StressReplay;
import org.junit.jupiter.api.Test;

/**
 * Found by {@code ioreq-sim stress --seeds 20000 --fix all --strategy random --features all} (seed 6512,
 * 2026-12-03, after the buffered ring began to read in batches, which moved this schedule), shrunk to 20
 * operations: the emulator takes vCPU 0's CF8 read and holds it behind its ring (a time offset is in
 * it); a misbehaving client of the same emulator answers the read meanwhile (H8), slot IORESP_READY; the
 * emulator then drains the ring and serves the held request: it writes its own answer into the slot's
 * data and fails ("Badness in I/O request ... not in service"), as QEMU writes {@code req->data} before
 * it checks the state. The vCPU consumed the emulator's own answer, and the monitors, which knew only the
 * misbehaving answer, reported {@code completion.wrong-data}. They now take the slot's data after each of
 * the emulator's own steps as what it answered. Exported by {@code stress}.
 */
class StressSeed6512EmulatorOverwritesItsAnswerTest {

    private static final String TRACE = """
            {
              "format" : "ioreq-sim-stress-trace/1",
              "seed" : 6512,
              "testName" : "ioreq-sim stress --seed 6512 --fix all --strategy random --features all --traces=DIR",
              "codeVersion" : {
                "version" : "0.1.0-SNAPSHOT",
                "model" : "093581e24c18892f"
              },
              "config" : {
                "domains" : 1,
                "vcpus" : 2,
                "servers" : 2,
                "ops" : 40,
                "strategy" : "random",
                "depth" : 3,
                "fixes" : [ "fixOrphanedCompletion", "fixBufferedDropClaim", "skipNonBufferedInBroadcast", "useLegacyGfns", "fixAddVcpuCleanup" ],
                "faults" : [ ],
                "swarm" : true,
                "maxSteps" : 20000,
                "features" : [ "cf8-wide", "bad-emulator", "crash-restart", "tight-ports", "ring-wrap" ]
              },
              "strategy" : "random, shrunk",
              "program" : {
                "domains" : [ {
                  "domid" : 1,
                  "vcpus" : 1,
                  "maxVcpus" : 1,
                  "emulatedVga" : true,
                  "maxEvtchnPort" : 5,
                  "emulatorDomid" : 0,
                  "clients" : 2,
                  "ringStart" : 4294967256
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
                    "manual" : false,
                    "devices" : 1803,
                    "answerDelayMs" : 0
                  }
                }, {
                  "lane" : "d1.c1",
                  "op" : {
                    "op" : "start",
                    "bufioreq" : 0,
                    "resource" : false,
                    "enable" : false,
                    "manual" : true,
                    "devices" : 87,
                    "answerDelayMs" : 67
                  }
                }, {
                  "lane" : "d1.c0",
                  "op" : {
                    "op" : "misbehave",
                    "act" : "respond",
                    "vcpu" : 0,
                    "value" : 5352477963055991967
                  }
                }, {
                  "lane" : "d1.c1",
                  "op" : {
                    "op" : "set_state",
                    "enabled" : false
                  }
                }, {
                  "lane" : "d1.ts",
                  "op" : {
                    "op" : "set_param",
                    "index" : 33,
                    "value" : 8
                  }
                }, {
                  "lane" : "d1.ts",
                  "op" : {
                    "op" : "pause"
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : false,
                      "addr" : 760,
                      "size" : 1,
                      "count" : 1,
                      "dir" : "READ",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 0,
                      "read" : true
                    }
                  }
                }, {
                  "lane" : "d1.ts",
                  "op" : {
                    "op" : "unpause"
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : false,
                      "addr" : 760,
                      "size" : 1,
                      "count" : 1,
                      "dir" : "READ",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 0,
                      "read" : true
                    }
                  }
                }, {
                  "lane" : "d1.ts",
                  "op" : {
                    "op" : "pause"
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : true,
                      "addr" : 655704,
                      "size" : 2,
                      "count" : 1,
                      "dir" : "WRITE",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 2,
                      "read" : false
                    }
                  }
                }, {
                  "lane" : "d1.ts",
                  "op" : {
                    "op" : "unpause"
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : false,
                      "addr" : 760,
                      "size" : 1,
                      "count" : 1,
                      "dir" : "READ",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 0,
                      "read" : true
                    }
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "decrease_reservation"
                    }
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : true,
                      "addr" : 655602,
                      "size" : 2,
                      "count" : 1,
                      "dir" : "WRITE",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 3,
                      "read" : false
                    }
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : false,
                      "addr" : 3327,
                      "size" : 1,
                      "count" : 1,
                      "dir" : "READ",
                      "df" : false,
                      "dataIsPtr" : false,
                      "data" : 0,
                      "read" : true
                    }
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "decrease_reservation"
                    }
                  }
                }, {
                  "lane" : "d1.v0",
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
                      "data" : 2484442684,
                      "read" : false
                    }
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "set_rtc_offset",
                      "offsetSeconds" : -2879
                    }
                  }
                }, {
                  "lane" : "d1.v0",
                  "op" : {
                    "op" : "guest",
                    "guest" : {
                      "op" : "io",
                      "mmio" : false,
                      "addr" : 3320,
                      "size" : 4,
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
                "actor" : "xen/domain-1",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 4,
                "actor" : "xen/domain-1/vcpu-0",
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
                "actor" : ".",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 7,
                "actor" : "d1-ts",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 8,
                "actor" : "xen",
                "message" : "HypercallRequest(SetParam)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 9,
                "actor" : "xen/domain-1",
                "message" : "Domain.StartVcpus",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 10,
                "actor" : "xen/domain-1",
                "message" : "Domain.SetParam",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 11,
                "actor" : "d1-c0",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 12,
                "actor" : "d1-c1",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 13,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 14,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 15,
                "actor" : "d1-c1/answer-1",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 16,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 17,
                "actor" : "xen",
                "message" : "HypercallRequest(CreateIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 18,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(CreateIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 19,
                "actor" : "d1-c1/qemu-1",
                "message" : "IoreqServer.Start",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 20,
                "actor" : "xen",
                "message" : "HypercallRequest(CreateIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 21,
                "actor" : "d1-ts",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 22,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.IoHandled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 23,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 24,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(CreateIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 25,
                "actor" : "xen/domain-1",
                "message" : "Domain.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 26,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
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
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.IoHandled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 29,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 30,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
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
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 33,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 34,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.IoHandled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 35,
                "actor" : "xen",
                "message" : "HypercallRequest(AcquireResource)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 36,
                "actor" : "xen/domain-1",
                "message" : "Domain.AcquireResource",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 37,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 38,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 39,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 40,
                "actor" : "xen",
                "message" : "HypercallRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 41,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 42,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.IoHandled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 43,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 44,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 45,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 46,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
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
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 49,
                "actor" : "d1-ts",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 50,
                "actor" : "xen/domain-1",
                "message" : "Domain.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 51,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 52,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 53,
                "actor" : "xen",
                "message" : "HypercallRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 54,
                "actor" : "d1-ts",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 55,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.SendInvalidate",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 56,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(GetIoreqServerInfo)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 57,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.IoHandled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 58,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 59,
                "actor" : "xen/domain-1",
                "message" : "Domain.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 60,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 61,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 62,
                "actor" : "xen",
                "message" : "HypercallRequest(SetIoreqServerState)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 63,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 64,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(SetIoreqServerState)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 65,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 66,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.IoHandled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 67,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 68,
                "actor" : "d1-ts",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 69,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 70,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 71,
                "actor" : "xen/domain-1",
                "message" : "Domain.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 72,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 73,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
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
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 76,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 77,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 78,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 79,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 80,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 81,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 82,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 83,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 84,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
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
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 87,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 88,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 89,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 90,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 91,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 92,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.EventChannelNotified",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 93,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.SendInvalidate",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 94,
                "actor" : "d1-c1",
                "message" : "AdaptMessage",
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
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.EventChannelNotified",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 97,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 98,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 99,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "-",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 100,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 101,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.RingReady",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 102,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.EventChannelNotified",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 103,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.SendTimeoffset",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 104,
                "actor" : "d1-ts",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 105,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 106,
                "actor" : "d1-c1/qemu-1",
                "message" : "IoreqServer.SetEnabled",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 107,
                "actor" : "xen",
                "mes\
            """
            + """
            sage" : "HypercallRequest(SetIoreqServerState)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 108,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.EmulateIo",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 109,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Upcall",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 110,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 111,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(SetIoreqServerState)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 112,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 113,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "AsyncInput",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 114,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 115,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 116,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Pause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 117,
                "actor" : "xen/domain-1",
                "message" : "VcpuRequest.PauseAcked",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 118,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 119,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 120,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 121,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 122,
                "actor" : "d1-c1/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 123,
                "actor" : "d1-c1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 124,
                "actor" : "xen",
                "message" : "HypercallRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 125,
                "actor" : "xen/domain-1",
                "message" : "DmOpRequest(MapIoRangeToIoreqServer)",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 126,
                "actor" : "d1-c0/qemu-1",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 127,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 128,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.Respond",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 129,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.Unpause",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 130,
                "actor" : "d1-c0/qemu-1/StreamSupervisor-#/flow-#-0-actorRefWithBackpressureSink",
                "message" : "AsyncInput",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 131,
                "actor" : "d1-c0/qemu-1",
                "message" : "IoreqServer.RingItems",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 132,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 133,
                "actor" : "d1-c0",
                "message" : "AdaptMessage",
                "detail" : null,
                "events" : [ ]
              }, {
                "step" : 134,
                "actor" : "xen/domain-1/vcpu-0",
                "message" : "Vcpu.EventChannelNotified",
                "detail" : null,
                "events" : [ ]
              } ],
              "expect" : {
                "digest" : "b7c0aff7a0cde455f73f0714e78bc75a",
                "steps" : 135,
                "violations" : [ {
                  "rule" : "completion.wrong-data",
                  "detail" : "d1 vCPU 0 consumed 0x9415963c from server 0, its emulator answered 0x4a47d259480f0c9f",
                  "step" : 134
                } ],
                "findings" : [ ]
              },
              "shrunk" : {
                "operations" : 20,
                "preemptions" : 12,
                "originalOperations" : 48,
                "originalPreemptions" : 34
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
        assertEquals("the recording ends at step 135 but the run goes on", r.divergence());
        assertEquals(List.of(), r.violations());
    }

    @Test
    void theRuleHoldsOnTheProgramUnderItsStrategy() {
        PropertyResult p = StressReplay.property(TRACE, "completion.wrong-data", 8);
        assertTrue(p.holds(), p::describe);
    }
}
