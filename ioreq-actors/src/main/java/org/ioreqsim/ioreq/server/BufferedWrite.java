package org.ioreqsim.ioreq.server;

/**
 * One item of a server's buffered ring as the emulator reads it: always a write (QEMU forces dir WRITE
 * and count 1), 8-byte items joined from their two slots.
 *
 * @param type    the ioreq type (COPY for VGA writes, TIMEOFFSET)
 * @param addr    the 20-bit address
 * @param size    1, 2, 4 or 8 bytes
 * @param data    the value
 * @param slots   ring slots it occupied (2 for an 8-byte item)
 * @param pointer the read pointer it was read at
 */
public record BufferedWrite(int type, long addr, int size, long data, int slots, int pointer) {
}
