package org.ioreqsim.sim.trace;

import org.ioreqsim.ioreq.device.PciFunction;

/**
 * A PCI function QEMU registered, replayed from a trace: config reads answer what the real function
 * answered; config writes go to QEMU's {@link XenMemoryListener}, which maps and unmaps the windows they
 * program.
 */
final class ReplayPciFunction extends PciFunction {
    private final AnswerSheet sheet;
    private final XenMemoryListener listener;

    ReplayPciFunction(PciFunctionLayout layout, AnswerSheet sheet, XenMemoryListener listener) {
        super(layout.name(), layout.sbdf(), 0xFFFF, 0xFFFF, 0, 0);
        this.sheet = sheet;
        this.listener = listener;
    }

    @Override
    public long readConfig(long reg, int size) {
        return sheet.answer(-1, size);
    }

    @Override
    public void writeConfig(long reg, int size, long value) {
        listener.configWrite(sbdf(), (int) reg, size, value);
    }
}
