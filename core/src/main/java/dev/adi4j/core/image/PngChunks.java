package dev.adi4j.core.image;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Walks the chunks of a PNG held in memory, from the signature to IEND, checking every chunk's length and CRC
 * first: javax.imageio ignores CRCs, so a damaged file would otherwise decode to wrong pixels without a word.
 */
final class PngChunks {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Receives each chunk whose CRC matched: its type and its data as {@code png[offset, offset + length)}. */
    @FunctionalInterface
    interface Visitor {
        void chunk(String type, byte[] png, int offset, int length);
    }

    private PngChunks() {
    }

    static boolean isPng(byte[] bytes) {
        return bytes.length >= 8 && Arrays.equals(Arrays.copyOf(bytes, 8), SIGNATURE);
    }

    /** Visits every chunk up to and including IEND; a bad signature, truncation or CRC mismatch names the file. */
    static void walk(Path file, byte[] png, Visitor visitor) {
        if (!isPng(png)) throw new ImageFormatException(file, "not a PNG file (bad signature)");
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(8);
        while (true) {
            if (b.remaining() < 12) throw new ImageFormatException(file, "truncated PNG: no IEND chunk");
            int start = b.position();
            long len = Integer.toUnsignedLong(b.getInt());
            String type = new String(png, start + 4, 4, StandardCharsets.US_ASCII);
            b.position(start + 8);
            if (len > b.remaining() - 4) {
                throw new ImageFormatException(file, "truncated PNG: chunk " + type + " at byte " + start
                        + " declares " + len + " bytes, " + Math.max(0, b.remaining() - 4) + " remain");
            }
            int dataOffset = start + 8;
            CRC32 crc = new CRC32();
            crc.update(png, start + 4, 4 + (int) len);
            int storedCrc = b.getInt(dataOffset + (int) len);
            if ((int) crc.getValue() != storedCrc) {
                throw new ImageFormatException(file, "corrupt PNG: CRC mismatch in chunk " + type + " at byte " + start);
            }
            b.position(dataOffset + (int) len + 4);
            visitor.chunk(type, png, dataOffset, (int) len);
            if (type.equals("IEND")) return;
        }
    }
}
