package org.ioreqsim.ioreq.device;

/**
 * A bank of byte registers behind a port range: reads return what was last written (little-endian
 * across bytes), optionally with fixed reset values. The simplest useful port device.
 */
public class RegisterFilePortDevice implements IoDevice {
    private final String name;
    private final byte[] registers;

    public RegisterFilePortDevice(String name, int size) {
        this.name = name;
        this.registers = new byte[size];
    }

    @Override
    public String name() {
        return name;
    }

    public int size() {
        return registers.length;
    }

    /** Sets a register's value without going through {@link #write} (reset state). */
    public RegisterFilePortDevice preset(int offset, int value) {
        registers[offset] = (byte) value;
        return this;
    }

    @Override
    public long read(long offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            long o = offset + i;
            v = (v << 8) | (o >= 0 && o < registers.length ? registers[(int) o] & 0xFF : 0xFF);
        }
        return v;
    }

    @Override
    public void write(long offset, int size, long value) {
        for (int i = 0; i < size; i++) {
            long o = offset + i;
            if (o >= 0 && o < registers.length) {
                registers[(int) o] = (byte) (value >>> (8 * i));
            }
        }
    }
}
