package dev.adi4j.core.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void headerIsPaddedWithSpacesAndLayoutFollowsTheRustLibrary() throws IOException {
        Path f = dir.resolve("out.safetensors");
        new SafetensorsWriter(DType.F16)
                .metadata("format", "pt")
                .add("b", new float[]{1, 2, 3}, 3)
                .add("a", new float[]{4}, 1)
                .add("z32", DType.F32, new float[]{5, 6}, 2)
                .add("c16", DType.BF16, new float[]{7}, 1)
                .write(f);
        byte[] all = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8, "header length is a multiple of 8");
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},"), header);
        String json = header.stripTrailing();
        assertTrue(json.endsWith("}"));
        assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '), "padding is spaces");
        assertEquals(8 + n + 2 * 4 + 2 + 3 * 2 + 2, all.length);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            // F32 first, then BF16, then F16, names sorted within a dtype; contiguous from 0
            assertEquals(List.of("z32", "c16", "a", "b"), List.copyOf(r.names()));
            assertEquals(0, r.info("z32").begin());
            assertEquals(8, r.info("c16").begin());
            assertEquals(10, r.info("a").begin());
            assertEquals(12, r.info("b").begin());
            assertEquals(18, r.info("b").end());
            assertEquals(DType.F16, r.info("b").dtype());
            assertArrayEquals(new float[]{1, 2, 3}, r.loadFloat("b").toFloatVector());
            assertEquals(Map.of("format", "pt"), r.metadata());
        }
    }

    @Test
    void acceptsArraysOfAnyTypeAndLayout() throws IOException {
        INDArray base = Nd4j.createFromArray(new float[][]{{1, 2, 3}, {4, 5, 6}});
        Path f = dir.resolve("types.safetensors");
        new SafetensorsWriter()
                .add("double", base.castTo(DataType.DOUBLE))
                .add("half", base.castTo(DataType.HALF))
                .add("bf16", base.castTo(DataType.BFLOAT16))
                .add("int", base.castTo(DataType.INT32))
                .add("long", base.castTo(DataType.INT64))
                .add("transposed", base.transpose())
                .add("column", base.getColumn(1))
                .add("row", base.getRow(1))
                .add("scalar", Nd4j.scalar(2.5f))
                .add("empty", Nd4j.create(DataType.FLOAT, 0, 3))
                .write(f);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            for (String name : List.of("double", "half", "bf16", "int", "long")) {
                assertEquals(base, r.loadFloat(name, 2, 3), name);
            }
            assertEquals(base.transpose().dup('c'), r.loadFloat("transposed", 3, 2));
            assertArrayEquals(new float[]{2, 5}, r.loadFloat("column", 2).toFloatVector());
            assertArrayEquals(new float[]{4, 5, 6}, r.loadFloat("row", 3).toFloatVector());
            assertArrayEquals(new long[0], r.info("scalar").shape());
            assertEquals(2.5f, r.loadFloat("scalar").getFloat(0));
            assertArrayEquals(new long[]{0, 3}, r.info("empty").shape());
            assertEquals(0, r.loadFloat("empty").length());
        }
    }

    @Test
    void lazySourcesAreCalledOnceEachInLayoutOrder() throws IOException {
        List<String> calls = new ArrayList<>();
        SafetensorsWriter w = new SafetensorsWriter(DType.BF16);
        for (String name : List.of("c", "a", "b")) {
            w.addLazy(name, new long[]{2, 2}, DType.BF16, () -> {
                calls.add(name);
                return Nd4j.createFromArray(new float[][]{{name.charAt(0), 1}, {2, 3}});
            });
        }
        assertEquals(List.of(), calls, "nothing is produced before write");
        Path f = dir.resolve("lazy.safetensors");
        w.write(f);
        assertEquals(List.of("a", "b", "c"), calls);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertEquals((float) 'b', r.loadFloat("b").getFloat(0, 0));
        }
    }

    @Test
    void failureWhileWritingLeavesNoFileAndNoTemp() throws IOException {
        Path f = dir.resolve("fail.safetensors");
        SafetensorsWriter w = new SafetensorsWriter()
                .add("a", new float[]{1, 2}, 2)
                .addLazy("b", new long[]{2}, DType.F32, () -> {
                    throw new IllegalStateException("converter broke");
                });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.write(f));
        assertEquals("converter broke", e.getMessage());
        assertEquals(List.of(), listing());
    }

    @Test
    void failureKeepsThePreviousFileIntact() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        new SafetensorsWriter().add("old", new float[]{42}, 1).write(f);
        byte[] before = Files.readAllBytes(f);
        SafetensorsWriter w = new SafetensorsWriter()
                .addLazy("new", new long[]{3}, DType.F32, () -> Nd4j.createFromArray(1f, 2f));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> w.write(f));
        assertEquals("new", e.key());
        assertTrue(e.getMessage().contains("shape [2]") && e.getMessage().contains("[3] was declared"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("keep.safetensors"), listing());
    }

    @Test
    void successfulWriteReplacesTheTargetAndLeavesNoTemp() throws IOException {
        Path f = dir.resolve("replace.safetensors");
        new SafetensorsWriter().add("old", new float[]{1}, 1).write(f);
        new SafetensorsWriter().add("new", new float[]{2}, 1).write(f);
        assertEquals(List.of("replace.safetensors"), listing());
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertEquals(List.of("new"), List.copyOf(r.names()));
        }
    }

    @Test
    void badDeclarationsAreRefusedUpFront() {
        SafetensorsWriter w = new SafetensorsWriter().add("a", new float[]{1}, 1);
        assertThrows(IllegalArgumentException.class, () -> w.add("a", new float[]{1}, 1), "duplicate");
        assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", new float[]{1}, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.add("b", new float[]{1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("needs 4 values but 3"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.add("c", DType.I64, new float[]{1}, 1));
        assertThrows(IllegalArgumentException.class, () -> w.add("d", new float[0], -1));
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsWriter(DType.F64));
        assertEquals(List.of("a"), w.names());
    }

    @Test
    void float16AndBfloat16StoreTheirRoundingOfTheInput() throws IOException {
        float[] v = {0.1f, -3.14159f, 65519f, 70000f, 1e-8f, Float.NaN};
        Path f = dir.resolve("round.safetensors");
        new SafetensorsWriter().add("h", DType.F16, v, v.length).add("b", DType.BF16, v, v.length).write(f);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            float[] h = r.loadFloat("h").toFloatVector();
            float[] b = r.loadFloat("b").toFloatVector();
            for (int i = 0; i < v.length; i++) {
                assertEquals(DTypeConversion.halfToFloat(DTypeConversion.floatToHalf(v[i])), h[i], 0f);
                assertEquals(DTypeConversion.bf16ToFloat(DTypeConversion.floatToBf16(v[i])), b[i], 0f);
            }
            assertEquals(65504f, h[2]);
            assertEquals(Float.POSITIVE_INFINITY, h[3]);
            assertFalse(b[0] == 0.1f, "bf16 really loses precision");
        }
    }
}
