package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-index validations of {@code hvmop_set_param} (hvm.c) for the parameters without ioreq
 * relevance that the model stores (spec 13: step 7, "per-index validation/effect"), by the toolstack.
 * Only sim's scripts set them before mutation run E1 (docs/testing.md), so the mutation profile's killer
 * tests never ran these lines. A refused value is not stored.
 */
class HvmParamValidationTest {

    @ParameterizedTest(name = "set param {0} = {1}: {2}")
    @CsvSource({
        "TIMER_MODE, 3, OK", "TIMER_MODE, 4, EINVAL",                 // HVMPTM_one_missed_tick_pending is the last
        "ACPI_S_STATE, 0, OK", "ACPI_S_STATE, 3, OK", "ACPI_S_STATE, 1, EINVAL",
        "MEMORY_EVENT_CR0, 1, EOPNOTSUPP",                            // deprecated mem_event params
        "TRIPLE_FAULT_REASON, 5, OK", "TRIPLE_FAULT_REASON, 6, EINVAL", // SHUTDOWN_MAX (soft_reset) is the last
        "X87_FIP_WIDTH, 0, OK", "X87_FIP_WIDTH, 4, OK", "X87_FIP_WIDTH, 8, OK", "X87_FIP_WIDTH, 2, EINVAL"})
    void validatesTheValueBeforeStoringIt(String name, long value, String expected) throws Exception {
        int index = HvmParam.class.getField(name).getInt(null);
        HvmParams params = new HvmParams(new IoreqGfnPool(), XenOptions.SEED);
        Result<Long> r = params.set(false, 0, index, value);
        if (expected.equals("OK")) {
            assertEquals(0L, r.value());
            assertEquals(value, params.get(index));
        } else {
            assertEquals(Errno.valueOf(expected), r.errnoOrNull());
            assertEquals(0L, params.get(index), "not stored");
        }
    }
}
