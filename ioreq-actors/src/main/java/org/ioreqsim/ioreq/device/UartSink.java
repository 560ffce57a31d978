package org.ioreqsim.ioreq.device;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A 16550-like UART that records what the guest transmits: writes to the transmit register (offset 0
 * with DLAB clear) are captured; the line status register (offset 5) always reports the transmitter
 * empty; the other registers hold what was written.
 */
public class UartSink extends RegisterFilePortDevice {
    private static final int THR = 0;
    private static final int LCR = 3;
    private static final int LSR = 5;
    /** THRE | TEMT: transmitter holding register and shift register empty. */
    private static final int LSR_TX_EMPTY = 0x60;

    private final ByteArrayOutputStream transmitted = new ByteArrayOutputStream();

    public UartSink(String name) {
        super(name, 8);
    }

    /** What the guest transmitted, as bytes. */
    public byte[] transmitted() {
        return transmitted.toByteArray();
    }

    /** What the guest transmitted, as ISO-8859-1 text. */
    public String transmittedText() {
        return transmitted.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public long read(long offset, int size) {
        if (offset == LSR && size == 1) {
            return LSR_TX_EMPTY;
        }
        return super.read(offset, size);
    }

    @Override
    public void write(long offset, int size, long value) {
        boolean dlab = (super.read(LCR, 1) & 0x80) != 0;
        if (offset == THR && !dlab) {
            for (int i = 0; i < size; i++) {
                transmitted.write((int) (value >>> (8 * i)) & 0xFF);
            }
            return;
        }
        super.write(offset, size, value);
    }
}
