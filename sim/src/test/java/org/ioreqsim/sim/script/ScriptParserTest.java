package org.ioreqsim.sim.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.ioreqsim.sim.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScriptParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "frobnicate 1 | s.ioreq:1: unknown step 'frobnicate'",
        "dmop 0 1 create colour=2 | s.ioreq:1: unknown key 'colour' for 'dmop create_ioreq_server' (known: bufsize, handle_bufioreq, headerpad, nrbufs, pad0, pad1, pad2)",
        "dmop 0 1 create handle_bufioreq=256 | s.ioreq:1: handle_bufioreq=256: out of range 0..255",
        "dmop 0 1 get_info id=65536 | s.ioreq:1: id=65536: out of range 0..65535",
        "io 1 pio read 0x3f8 | s.ioreq:1: argument 1=1: a vCPU is DOMID.VCPU, e.g. 1.0",
        "io 1.0 pio peek 0x3f8 | s.ioreq:1: argument 3=peek: must be read or write",
        "emu take 0:1 vcpu=0 | s.ioreq:1: argument 1=0:1: an emulator is EMUDOM:TARGET:SERVERID, e.g. 0:1:0",
        "emu state 0:1:0 vcpu=0 state=16 | s.ioreq:1: state=16: a state is NONE, READY, INPROCESS, IORESP_READY or 0..15",
        "option fixEverything | s.ioreq:1: argument 1=fixEverything: unknown option (known: legacyDefaultServer, fixOrphanedCompletion, fixBufferedDropClaim, skipNonBufferedInBroadcast, useLegacyGfns, amdExtendedCf8, fixAddVcpuCleanup)",
        "dmop 0 1 | s.ioreq:1: dmop needs: dmop CALLER TARGET OP [field=value ...]",
        "domain create 1 vcpus=1 => | s.ioreq:1: nothing after '=>'",
        "expect | s.ioreq:1: expect needs the words of an event, e.g. 'expect io 1.0 line=11 done value=0x60'",
        "expect count=x upcall | s.ioreq:1: count=x: not a number",
        "expect upcall => 0 | s.ioreq:1: expect takes no '=>': it is a check itself",
        "guest shutdown 1.0 reason=nap | s.ioreq:1: reason=nap: not a number",
        "evtchn send 1 | s.ioreq:1: 'evtchn send' takes 2 argument(s) [domid, u32], got 1 argument(s)",
    })
    void badLinesGiveOneLineNamingFileLineAndKey(String line, String message) {
        UserInputException e = assertThrows(UserInputException.class,
                () -> new ScriptParser("s.ioreq").parse(List.of(line)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void commentsExpectationsAndAliasesAreUnderstood() {
        List<Step> steps = new ScriptParser("s.ioreq").parse(List.of(
                "# a comment", "", "dmop 0 1 create handle_bufioreq=2 pad0=0x0   => 0 id=0   # trailing",
                "io 1.0 mmio read 0xe0000000 size=4 => #GP"));
        assertEquals(2, steps.size());
        Step create = steps.get(0);
        assertEquals("dmop create_ioreq_server", create.verb());
        assertEquals(2, create.num("handle_bufioreq", -1));
        assertEquals("0 id=0", create.expected());
        assertEquals(3, create.line());
        assertEquals("#GP", steps.get(1).expected());
    }

    @Test
    void expectationsCompareTheStatusAndTheFieldsTheyName() {
        assertEquals(true, TranscriptLine.matches("0 id=0", "0 id=0"));
        assertEquals(true, TranscriptLine.matches("0", "0 id=3"));
        assertEquals(false, TranscriptLine.matches("0 id=1", "0 id=0"));
        assertEquals(true, TranscriptLine.matches("-22 EINVAL", "-22 EINVAL"));
        assertEquals(false, TranscriptLine.matches("-22", "0"));
        assertEquals(true, TranscriptLine.matches("done value=0x41", "done value=0x41 reps=1 route=server-1-0"));
        assertEquals(true, TranscriptLine.matches("0 bufioreq_port=2", "0 bufioreq_port=2 ioreq_gfn=0x0"));
        assertEquals(true, TranscriptLine.matches("0 value=65", "0 value=0x41"), "numbers compare by value");
    }

    /** An expect checks the events of the step above it; count=0 checks that something did not happen. */
    @Test
    void expectMatchesTheEventsOfTheStepAbove() {
        List<Step> steps = new ScriptParser("s.ioreq").parse(List.of(
                "domain create 1", "expect count=0 domain 1", "expect domain 1 RUNNING", "expect count=2 io"));
        List<TranscriptLine> t;
        try (ScriptRunner r = new ScriptRunner(steps)) {
            t = r.run();
        }
        assertEquals(true, t.get(1).matched(), t.get(1).render());
        assertEquals(false, t.get(2).matched(), "domain creation reports no state change");
        assertEquals("absent matched=0 of_step=1 events=0", t.get(2).result());
        assertEquals(true, t.get(2).render().contains("MISMATCH, expected: domain 1 RUNNING"), t.get(2).render());
        assertEquals(false, t.get(3).matched());
        assertEquals(true, Expect.matches(List.of("io", "1.0", "line=11", "done", "value=96"),
                "io 1.0 (line 11) done value=0x60 reps=1 route=server-1-0"), "(line N) reads as line=N");
        assertEquals(false, Expect.matches(List.of("io", "1.0", "line=12"), "io 1.0 (line 11) done value=0x60"));
        assertEquals(true, Expect.matches(List.of("domain", "1", "CRASHED", "weird"),
                "domain 1 CRASHED: Weird HVM iorequest state 7"), "a trailing colon is dropped, case ignored");
        assertEquals(false, Expect.matches(List.of("upcall"), "io 1.0 (line 11) done"), "the first words must be equal");
    }
}
