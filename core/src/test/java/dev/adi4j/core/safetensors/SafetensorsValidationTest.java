package dev.adi4j.core.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.adi4j.core.safetensors.RawSafetensors.concat;
import static dev.adi4j.core.safetensors.RawSafetensors.entry;
import static dev.adi4j.core.safetensors.RawSafetensors.f32;
import static dev.adi4j.core.safetensors.RawSafetensors.i64;
import static dev.adi4j.core.safetensors.RawSafetensors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each validation rule of the reader: the exception names the file, the key (if any) and the problem. */
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    private Path file(String header, byte[] data) throws IOException {
        return write(dir.resolve("bad.safetensors"), header, data);
    }

    /** Opens (and loads everything from) {@code f}, expecting a failure that names file, key and problem. */
    private static SafetensorsFormatException expectBad(Path f, String key, String... problemWords) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> {
            try (SafetensorsReader r = SafetensorsReader.open(f)) {
                r.loadAllFloat();
            }
        });
        assertEquals(f, e.file());
        assertEquals(key, e.key(), e.getMessage());
        String msg = e.getMessage();
        assertTrue(msg.contains(f.toString()), msg);
        if (key != null) assertTrue(msg.contains("'" + key + "'"), msg);
        for (String w : problemWords) assertTrue(msg.contains(w), "expected '" + w + "' in: " + msg);
        return e;
    }

    @Test
    void fileShorterThanLengthPrefix() throws IOException {
        Path f = dir.resolve("short.safetensors");
        java.nio.file.Files.write(f, new byte[]{1, 2, 3});
        expectBad(f, null, "3 bytes", "too short");
    }

    @Test
    void missingFile() {
        expectBad(dir.resolve("absent.safetensors"), null, "cannot open");
    }

    @Test
    void fifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("pipe.safetensors");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo unavailable");
        expectBad(fifo, null, "not a regular file");
        expectBad(dir, null, "not a regular file");
    }

    @Test
    void headerLengthBeyondFileSize() throws IOException {
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        expectBad(write(dir.resolve("a.safetensors"), 1000, h, new byte[0]), null, "header length 1000", "exceeds");
    }

    @Test
    void headerLengthAboveLimitIsRefusedBeforeAllocating() throws IOException {
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        expectBad(write(dir.resolve("a.safetensors"), 200L * 1024 * 1024, h, new byte[0]), null,
                "header length 209715200", "limit of 104857600");
        // a u64 length that is negative as a Java long
        expectBad(write(dir.resolve("b.safetensors"), -2, h, new byte[0]), null,
                "header length 18446744073709551614", "limit");
    }

    @Test
    void headerTooSmall() throws IOException {
        expectBad(write(dir.resolve("a.safetensors"), 1, "{".getBytes(StandardCharsets.UTF_8), new byte[0]),
                null, "too small");
    }

    @Test
    void headerNotUtf8() throws IOException {
        byte[] h = {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'};
        SafetensorsFormatException e = expectBad(write(dir.resolve("a.safetensors"), h.length, h, new byte[0]),
                null, "not valid UTF-8", "byte 0xff at file offset 10");
        assertTrue(!e.getMessage().contains("Exception") && !e.getMessage().contains("Input length"),
                e.getMessage());
    }

    @Test
    void headerNotJson() throws IOException {
        expectBad(file("{\"a\": tru}   ", new byte[0]), "a", "not valid JSON");
        expectBad(file("{\"a\":1} xyz", new byte[0]), null, "not valid JSON");
        expectBad(file("        ", new byte[0]), null, "empty");
        // deep nesting is refused by Jackson's limits, not by a StackOverflowError
        expectBad(file("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", new byte[0]), null,
                "not valid JSON", "nesting depth");
    }

    @Test
    void longMetadataStringsAreFine() throws IOException {
        String big = "x".repeat(21_000_000); // above Jackson's default 20M-character string limit
        Path f = file("{\"__metadata__\":{\"big\":\"" + big + "\"}," + entry("w", "F32", "[1]", 0, 4) + "}", f32(1));
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertEquals(big.length(), r.metadata().get("big").length());
        }
    }

    @Test
    void headerNotAnObject() throws IOException {
        expectBad(file("[1,2,3] ", new byte[0]), null, "JSON array", "expected a JSON object");
    }

    @Test
    void duplicateTensorKey() throws IOException {
        String h = "{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}";
        expectBad(file(h, f32(1, 2)), "w", "duplicate", "'w'");
    }

    @Test
    void duplicateFieldInsideEntry() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        expectBad(file(h, f32(1)), "w", "duplicate", "dtype");
    }

    @Test
    void duplicateMetadataKey() throws IOException {
        String h = "{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}," + entry("w", "F32", "[1]", 0, 4) + "}";
        expectBad(file(h, f32(1)), "__metadata__", "duplicate", "'a'");
    }

    @Test
    void unknownDtype() throws IOException {
        expectBad(file("{" + entry("w", "C64", "[1]", 0, 8) + "}", new byte[8]), "w",
                "unknown dtype \"C64\"");
    }

    @Test
    void f8TypesWidenToFloat32() throws IOException {
        // E4M3FN: 0x38 = 1.0, 0xc4 = -3.0 (1.5 * 2^1 negated), 0x01 = 2^-9, 0x7f = NaN, 0x7e = 448 (largest)
        // E5M2: 0x3c = 1.0, 0x7c = +inf, 0x01 = 2^-16
        byte[] data = {0x38, (byte) 0xc4, 0x01, 0x7f, 0x7e, 0x3c, 0x7c, 0x01};
        String h = "{" + entry("a", "F8_E4M3", "[5]", 0, 5) + "," + entry("b", "F8_E5M2", "[3]", 5, 8) + "}";
        try (SafetensorsReader r = SafetensorsReader.open(file(h, data))) {
            float[] a = r.loadFloat("a").toFloatVector();
            assertEquals(1f, a[0]);
            assertEquals(-3f, a[1]);
            assertEquals(0x1p-9f, a[2]);
            assertTrue(Float.isNaN(a[3]));
            assertEquals(448f, a[4]);
            float[] b = r.loadFloat("b").toFloatVector();
            assertEquals(1f, b[0]);
            assertEquals(Float.POSITIVE_INFINITY, b[1]);
            assertEquals(0x1p-16f, b[2]);
        }
    }

    @Test
    void wideUnsignedTypesAreValidButNotWeights() throws IOException {
        String h = "{" + entry("a", "U16", "[1]", 0, 2) + "," + entry("b", "U32", "[1]", 2, 6) + ","
                + entry("c", "U64", "[2]", 6, 22) + "}";
        byte[] data = concat(RawSafetensors.u16(65535), RawSafetensors.i32(-1), i64(5, -1));
        try (SafetensorsReader r = SafetensorsReader.open(file(h, data))) {
            assertEquals(65535L, r.loadLongs("a")[0]);
            assertEquals(4294967295L, r.loadLongs("b")[0]);
            for (String name : new String[]{"a", "b", "c"}) {
                SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> r.loadFloat(name));
                assertTrue(e.getMessage().contains("valid safetensors, dtype U")
                        && e.getMessage().contains("not supported for a network weight"), e.getMessage());
            }
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> r.loadLongs("c"));
            assertTrue(e.getMessage().contains("element 1 = 18446744073709551615"), e.getMessage());
        }
    }

    @Test
    void gapBetweenTensorsIsRefused() throws IOException {
        String h = "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}";
        expectBad(file(h, f32(1, 2, 3)), "b", "gap of 4 unused bytes", "[4, 8)");
        // a gap before the first tensor
        expectBad(file("{" + entry("a", "F32", "[1]", 4, 8) + "}", f32(1, 2)), "a", "gap of 4");
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        expectBad(file("{" + entry("a", "F32", "[1]", 0, 4) + "}", f32(1, 2)), null,
                "4 trailing bytes after the last tensor");
        expectBad(file("{}", new byte[3]), null, "3 trailing bytes");
    }

    @Test
    void dtypeMissingOrNotAString() throws IOException {
        expectBad(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1)), "w", "dtype is missing");
        expectBad(file("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1)), "w",
                "not a string");
    }

    @Test
    void entryNotAnObject() throws IOException {
        expectBad(file("{\"w\":[1,2]}", new byte[0]), "w", "entry is a JSON array");
    }

    @Test
    void badShapes() throws IOException {
        expectBad(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", f32(1)), "w", "shape is missing");
        expectBad(file("{" + entry("w", "F32", "[-1]", 0, 4) + "}", f32(1)), "w", "dimension -1");
        expectBad(file("{" + entry("w", "F32", "[1.5]", 0, 4) + "}", f32(1)), "w", "dimension 1.5");
        expectBad(file("{" + entry("w", "F32", "[\"2\"]", 0, 8) + "}", f32(1, 2)), "w", "non-negative integer");
        expectBad(file("{" + entry("w", "F32", "[99999999999999999999]", 0, 4) + "}", f32(1)), "w",
                "non-negative integer");
    }

    @Test
    void shapeTimesDtypeMustEqualByteRange() throws IOException {
        expectBad(file("{" + entry("w", "F32", "[3]", 0, 8) + "}", f32(1, 2)), "w",
                "shape [3] x F32 needs 12 bytes", "hold 8");
        // product overflowing a long must not wrap around to a matching size
        expectBad(file("{" + entry("w", "F32", "[4294967296,4294967296]", 0, 0) + "}", new byte[0]), "w",
                "more than 2^63");
    }

    @Test
    void rangeOutsideDataSection() throws IOException {
        expectBad(file("{" + entry("w", "F32", "[2]", 0, 8) + "}", f32(1)), "w",
                "beyond the data section of 4 bytes");
    }

    @Test
    void rangeEndsBeforeItBegins() throws IOException {
        expectBad(file("{" + entry("w", "F32", "[0]", 4, 0) + "}", f32(1)), "w", "end before they begin");
    }

    @Test
    void badOffsets() throws IOException {
        expectBad(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", f32(1)), "w", "data_offsets must be");
        expectBad(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", f32(1)), "w",
                "data_offsets must be");
        expectBad(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0.5,4.5]}}", f32(1, 2)), "w",
                "two non-negative integers");
        expectBad(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[-4,-4]}}", f32(1)), "w",
                "two non-negative integers");
    }

    @Test
    void overlappingRanges() throws IOException {
        String h = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}";
        expectBad(file(h, f32(1, 2, 3)), "b", "overlaps tensor 'a'");
    }

    @Test
    void emptyRangesInsideOthersAreNotOverlaps() throws IOException {
        String h = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("e", "F32", "[0,3]", 4, 4) + "}";
        try (SafetensorsReader r = SafetensorsReader.open(file(h, f32(1, 2)))) {
            assertEquals(0, r.loadFloat("e").length());
            assertEquals(2f, r.loadFloat("a").getFloat(1));
        }
    }

    @Test
    void metadataMustBeAnObjectOfStrings() throws IOException {
        String w = entry("w", "F32", "[1]", 0, 4);
        expectBad(file("{\"__metadata__\":[\"x\"]," + w + "}", f32(1)), "__metadata__", "JSON array");
        expectBad(file("{\"__metadata__\":{\"steps\":4}," + w + "}", f32(1)), "__metadata__",
                "value of 'steps' is a JSON number", "expected a string");
        expectBad(file("{\"__metadata__\":{\"n\":null}," + w + "}", f32(1)), "__metadata__", "'n'");
    }

    @Test
    void loadWithExpectedShape() throws IOException {
        Path f = file("{" + entry("w", "F32", "[2,3]", 0, 24) + "," + entry("s", "F32", "[]", 24, 28) + "}",
                f32(1, 2, 3, 4, 5, 6, 7));
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertEquals(6f, r.loadFloat("w", 2, 3).getFloat(1, 2));
            assertEquals(7f, r.loadFloat("s", 1).getFloat(0));
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                    () -> r.loadFloat("w", 3, 2));
            assertEquals("w", e.key());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("shape is [2, 3]")
                    && e.getMessage().contains("[3, 2] was expected"), e.getMessage());
        }
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path f = file("{" + entry("w", "F32", "[1]", 0, 4) + "}", f32(1));
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> r.loadFloat("v"));
            assertEquals("v", e.key());
            assertTrue(e.getMessage().contains("no such tensor"), e.getMessage());
        }
    }

    @Test
    void integerLoaderRefusesNonIntegers() throws IOException {
        Path f = file("{" + entry("f", "F32", "[3]", 0, 12) + "," + entry("big", "I64", "[2]", 12, 28) + "}",
                concat(f32(1, 2.5f, 3), i64(7, 1L << 40)));
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> r.loadLongs("f"));
            assertEquals("f", e.key());
            assertTrue(e.getMessage().contains("element 1 = 2.5") && e.getMessage().contains("not an integer"),
                    e.getMessage());
            assertEquals(1L << 40, r.loadLongs("big")[1]);
            e = assertThrows(SafetensorsFormatException.class, () -> r.loadInts("big"));
            assertEquals("big", e.key());
            assertTrue(e.getMessage().contains("element 1 = 1099511627776")
                    && e.getMessage().contains("32-bit int"), e.getMessage());
        }
    }
}
