package org.ioreqsim.sim.trace;

import org.ioreqsim.ioreq.device.IoDevice;

/**
 * A QEMU memory region replayed from a trace: reads answer what the real region answered for this
 * access (from the {@link AnswerSheet}); writes change nothing, except that memory writes are shown to
 * QEMU's {@link XenMemoryListener} so that ECAM (MMCONFIG) config cycles can move BARs.
 */
final class ReplayDevice implements IoDevice {
    private final String name;
    private final long start;
    private final boolean mmio;
    private final AnswerSheet sheet;
    private final XenMemoryListener listener;

    ReplayDevice(String name, long start, boolean mmio, AnswerSheet sheet, XenMemoryListener listener) {
        this.name = name;
        this.start = start;
        this.mmio = mmio;
        this.sheet = sheet;
        this.listener = listener;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long read(long offset, int size) {
        return sheet.answer(start + offset, size);
    }

    @Override
    public void write(long offset, int size, long value) {
        if (mmio) {
            listener.memoryWrite(start + offset, size, value);
        }
    }
}
