package dev.adi4j.core.safetensors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Round trips of random files, and robustness: any truncation or single-byte corruption of a valid file
 * either reads back consistently or fails with a {@link SafetensorsFormatException}, nothing else.
 */
class SafetensorsProperties {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    // JSON-hostile characters (quote, backslash, control) and non-ASCII, but no lone surrogates
    private static final String NAME_CHARS = "abcXYZ019._-/ \"\\\n\u00e9\u221a\u4e2d";
    private static Path dir;

    record Tensor(String name, DType dtype, long[] shape, float[] values, boolean asNdArray) {
        @Override
        public String toString() {
            return "'" + name + "' " + dtype + Arrays.toString(shape) + (asNdArray ? " INDArray " : " float[] ")
                    + Arrays.toString(values);
        }
    }

    record FileSpec(List<Tensor> tensors, Map<String, String> metadata) {
    }

    /** What a reader saw in a file: header entries, metadata and every tensor's values. */
    record Snapshot(Map<String, TensorInfo> infos, Map<String, String> metadata, Map<String, float[]> values) {
    }

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("safetensors-props");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Provide
    Arbitrary<FileSpec> files() {
        Arbitrary<String> text = Arbitraries.strings().withChars(NAME_CHARS.toCharArray()).ofMaxLength(8);
        Arbitrary<List<Tensor>> tensors = tensor(text).list().ofMaxSize(4)
                .uniqueElements(Tensor::name)
                .filter(l -> l.stream().noneMatch(t -> t.name().equals("__metadata__")));
        Arbitrary<Map<String, String>> meta = Arbitraries.maps(text, text).ofMaxSize(3);
        return Combinators.combine(tensors, meta).as(FileSpec::new);
    }

    private static Arbitrary<Tensor> tensor(Arbitrary<String> names) {
        Arbitrary<long[]> shapes = Arbitraries.longs().between(0, 4).array(long[].class).ofMaxSize(3);
        Arbitrary<Float> value = Arbitraries.oneOf(
                Arbitraries.floats().between(-70000f, 70000f),
                Arbitraries.integers().map(Float::intBitsToFloat), // every bit pattern, NaNs included
                Arbitraries.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                        Float.MIN_VALUE, Float.MAX_VALUE, 65504f, 65520f, 0x1p-24f, 0x1p-25f));
        return Combinators.combine(names, Arbitraries.of(DType.F32, DType.F16, DType.BF16), shapes,
                Arbitraries.of(true, false)).flatAs((name, dtype, shape, nd) -> {
            int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            return value.array(float[].class).ofSize(n).map(v -> new Tensor(name, dtype, shape, v, nd));
        });
    }

    private static Path write(FileSpec spec) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter(DType.F16).metadata(spec.metadata());
        for (Tensor t : spec.tensors()) {
            if (t.asNdArray()) w.add(t.name(), ndArray(t), t.dtype());
            else w.add(t.name(), t.dtype(), t.values(), t.shape());
        }
        Path f = Files.createTempFile(dir, "p", ".safetensors");
        w.write(f);
        return f;
    }

    private static INDArray ndArray(Tensor t) {
        if (t.values().length == 0) return Nd4j.create(DataType.FLOAT, t.shape());
        if (t.shape().length == 0) return Nd4j.scalar(t.values()[0]);
        return Nd4j.createFromArray(t.values()).reshape('c', t.shape());
    }

    private static float stored(DType dtype, float v) {
        return switch (dtype) {
            case F16 -> DTypeConversion.halfToFloat(DTypeConversion.floatToHalf(v));
            case BF16 -> DTypeConversion.bf16ToFloat(DTypeConversion.floatToBf16(v));
            default -> v;
        };
    }

    /** Reads everything, under a time limit; any exception other than the format one fails the property. */
    private static Snapshot readAll(Path f) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            try (SafetensorsReader r = SafetensorsReader.open(f)) {
                Map<String, float[]> values = new LinkedHashMap<>();
                for (String name : r.names()) values.put(name, flat(r.loadFloat(name)));
                return new Snapshot(r.infos(), r.metadata(), values);
            }
        });
    }

    private static float[] flat(INDArray a) {
        return a.length() == 0 ? new float[0] : a.reshape(a.length()).toFloatVector();
    }

    @Property(tries = 80)
    void roundTrip(@ForAll("files") FileSpec spec) throws IOException {
        Path f = write(spec);
        Snapshot s = readAll(f);
        assertEquals(spec.metadata(), s.metadata());
        assertEquals(spec.tensors().size(), s.infos().size());
        for (Tensor t : spec.tensors()) {
            TensorInfo info = s.infos().get(t.name());
            assertEquals(t.dtype(), info.dtype(), t.name());
            assertArrayEquals(t.shape(), info.shape(), t.name());
            float[] got = s.values().get(t.name());
            assertEquals(t.values().length, got.length);
            for (int i = 0; i < got.length; i++) {
                float want = stored(t.dtype(), t.values()[i]);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[i]),
                        t.name() + "[" + i + "] from " + t.values()[i]);
            }
        }
        Files.delete(f);
    }

    @Property(tries = 80)
    void anyTruncationFailsCleanly(@ForAll("files") FileSpec spec, @ForAll("fractions") double cut)
            throws IOException {
        Path f = write(spec);
        byte[] all = Files.readAllBytes(f);
        int len = (int) Math.min(all.length - 1, Math.floor(cut * all.length));
        Files.write(f, Arrays.copyOf(all, len));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> readAll(f),
                "truncated to " + len + " of " + all.length);
        assertEquals(f, e.file());
        Files.delete(f);
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Property(tries = 100)
    void anySingleByteCorruptionReadsConsistentlyOrFailsCleanly(
            @ForAll("files") FileSpec spec, @ForAll("fractions") double where,
            @ForAll("nonZeroBytes") byte flip) throws IOException {
        Path f = write(spec);
        Snapshot original = readAll(f);
        byte[] all = Files.readAllBytes(f);
        int p = (int) Math.min(all.length - 1, Math.floor(where * all.length));
        long dataStart = 8 + java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        all[p] ^= flip;
        Files.write(f, all);
        Snapshot s;
        try {
            s = readAll(f);
        } catch (SafetensorsFormatException e) {
            assertEquals(f, e.file());
            assertTrue(p < dataStart, "a data byte (" + p + ") changed, the header did not: must still read");
            Files.delete(f);
            return;
        }
        if (p >= dataStart) {
            assertEquals(original.infos(), s.infos());
            assertEquals(original.metadata(), s.metadata());
            int changedElements = 0;
            for (String name : s.infos().keySet()) {
                float[] a = original.values().get(name);
                float[] b = s.values().get(name);
                for (int i = 0; i < a.length; i++) {
                    if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) changedElements++;
                }
            }
            assertTrue(changedElements <= 1, changedElements + " elements changed by one byte");
        } else if (p >= 8) {
            // header text changed but still valid: unchanged entries must still read their original data
            for (Map.Entry<String, TensorInfo> e : s.infos().entrySet()) {
                if (e.getValue().equals(original.infos().get(e.getKey()))) {
                    assertArrayEquals(original.values().get(e.getKey()), s.values().get(e.getKey()), e.getKey());
                }
            }
        }
        Files.delete(f);
    }

    @Provide
    Arbitrary<Byte> nonZeroBytes() {
        return Arbitraries.bytes().filter(b -> b != 0);
    }
}
