package dev.adi4j.core.image;

import dev.adi4j.core.io.RegularFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG text chunks. Writing: values that Latin-1 can hold go in {@code tEXt} chunks (what A1111/ComfyUI
 * and PIL write for a "parameters" key), others in uncompressed UTF-8 {@code iTXt}. Reading: tEXt, zTXt and
 * iTXt (compressed or not), in file order; when a key repeats, the first occurrence wins.
 */
public final class PngText {
    static final byte[] SIGNATURE = PngChunks.SIGNATURE;

    private PngText() {
    }

    /** Returns {@code png} with one text chunk per entry inserted right after IHDR. */
    static byte[] insert(byte[] png, Map<String, String> text) {
        if (text.isEmpty()) return png;
        // IHDR is always the first chunk and always 13 bytes: signature 8 + length 4 + type 4 + 13 + crc 4.
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 256);
        out.write(png, 0, afterIhdr);
        for (Map.Entry<String, String> e : text.entrySet()) writeTextChunk(out, e.getKey(), e.getValue());
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    private static void writeTextChunk(ByteArrayOutputStream out, String key, String value) {
        checkKeyword(key);
        if (value == null) throw new IllegalArgumentException("PNG text value for key '" + key + "' is null");
        byte[] kw = key.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        String type;
        CharsetEncoder latin1 = StandardCharsets.ISO_8859_1.newEncoder();
        if (latin1.canEncode(value) && value.indexOf('\0') < 0) {
            type = "tEXt";
            data.writeBytes(kw);
            data.write(0);
            data.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            type = "iTXt";
            data.writeBytes(kw);
            // NUL separator, compression flag 0, method 0, empty language tag + NUL, empty translated keyword + NUL
            data.writeBytes(new byte[]{0, 0, 0, 0, 0});
            data.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        }
        writeChunk(out, type, data.toByteArray());
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** PNG keywords: 1-79 Latin-1 printable characters, no leading, trailing or double spaces. */
    static void checkKeyword(String key) {
        if (key == null || key.isEmpty() || key.length() > 79) {
            throw new IllegalArgumentException("PNG text key must have 1..79 characters, got "
                    + (key == null ? "null" : "'" + key + "' (" + key.length() + ")"));
        }
        for (char c : key.toCharArray()) {
            if (!((c >= 32 && c <= 126) || (c >= 161 && c <= 255))) {
                throw new IllegalArgumentException("PNG text key '" + key + "' has a character outside printable Latin-1: U+"
                        + String.format("%04X", (int) c));
            }
        }
        if (key.startsWith(" ") || key.endsWith(" ") || key.contains("  ")) {
            throw new IllegalArgumentException("PNG text key '" + key + "' has leading, trailing or consecutive spaces");
        }
    }

    /** Reads every text chunk of a PNG file (key -> value, file order). */
    public static Map<String, String> read(Path file) {
        byte[] png;
        try {
            png = Files.readAllBytes(RegularFiles.require(file, "PNG", ImageFormatException::new));
        } catch (NoSuchFileException e) {
            throw new ImageFormatException(file, "file not found");
        } catch (IOException e) {
            throw new ImageFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return read(file, png);
    }

    static Map<String, String> read(Path file, byte[] png) {
        Map<String, String> text = new LinkedHashMap<>();
        PngChunks.walk(file, png, (type, bytes, offset, length) -> {
            switch (type) {
                case "tEXt" -> putFirst(text, parseText(file, Arrays.copyOfRange(bytes, offset, offset + length)));
                case "zTXt" -> putFirst(text, parseZText(file, Arrays.copyOfRange(bytes, offset, offset + length)));
                case "iTXt" -> putFirst(text, parseIText(file, Arrays.copyOfRange(bytes, offset, offset + length)));
                default -> { }
            }
        });
        return Collections.unmodifiableMap(text);
    }

    private static void putFirst(Map<String, String> text, String[] kv) {
        text.putIfAbsent(kv[0], kv[1]);
    }

    private static String[] parseText(Path file, byte[] d) {
        int nul = indexOf(file, d, 0, "tEXt");
        return new String[]{latin1(d, 0, nul), latin1(d, nul + 1, d.length)};
    }

    private static String[] parseZText(Path file, byte[] d) {
        int nul = indexOf(file, d, 0, "zTXt");
        byte[] value = inflate(file, Arrays.copyOfRange(d, nul + 2, d.length));
        return new String[]{latin1(d, 0, nul), new String(value, StandardCharsets.ISO_8859_1)};
    }

    private static String[] parseIText(Path file, byte[] d) {
        int nul = indexOf(file, d, 0, "iTXt");
        if (nul + 3 > d.length) throw new ImageFormatException(file, "corrupt iTXt chunk: header cut short");
        boolean compressed = d[nul + 1] != 0;
        int langEnd = indexOf(file, d, nul + 3, "iTXt");
        int transEnd = indexOf(file, d, langEnd + 1, "iTXt");
        byte[] value = Arrays.copyOfRange(d, transEnd + 1, d.length);
        if (compressed) value = inflate(file, value);
        return new String[]{latin1(d, 0, nul), new String(value, StandardCharsets.UTF_8)};
    }

    private static int indexOf(Path file, byte[] d, int from, String type) {
        for (int i = from; i < d.length; i++) if (d[i] == 0) return i;
        throw new ImageFormatException(file, "corrupt " + type + " chunk: missing NUL separator");
    }

    private static String latin1(byte[] d, int from, int to) {
        return new String(d, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static byte[] inflate(Path file, byte[] z) {
        Inflater inf = new Inflater();
        inf.setInput(z);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new ImageFormatException(file, "corrupt compressed text chunk: stream ends early");
                }
                out.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new ImageFormatException(file, "corrupt compressed text chunk: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
        return out.toByteArray();
    }
}
