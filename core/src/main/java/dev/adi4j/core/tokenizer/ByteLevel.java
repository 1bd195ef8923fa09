package dev.adi4j.core.tokenizer;

/**
 * CLIP's {@code bytes_to_unicode}: a reversible map from the 256 byte values to printable characters, so that
 * byte-level BPE can work on strings. Printable Latin-1 bytes map to themselves, the others to U+0100 onwards.
 */
final class ByteLevel {
    /** Byte values in the order CLIP assigns vocabulary ids 0..255 (and 256..511 with {@code </w>}). */
    static final int[] BYTE_ORDER = new int[256];
    /** Character standing for each byte value. */
    static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        int n = 0;
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) printable[b] = true;
        for (int b = 0xA1; b <= 0xAC; b++) printable[b] = true;
        for (int b = 0xAE; b <= 0xFF; b++) printable[b] = true;
        for (int b = 0; b < 256; b++) {
            if (printable[b]) {
                BYTE_ORDER[n++] = b;
                BYTE_TO_CHAR[b] = (char) b;
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                BYTE_ORDER[n++] = b;
                BYTE_TO_CHAR[b] = (char) (256 + extra++);
            }
        }
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        for (int b = 0; b < 256; b++) CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
    }

    private ByteLevel() {
    }

    /** Byte value of a byte-level character, or -1 if {@code c} stands for no byte. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }
}
