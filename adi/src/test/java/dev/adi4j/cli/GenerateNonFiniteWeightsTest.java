package dev.adi4j.cli;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.TensorInfo;
import dev.adi4j.testsupport.Captured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NaN model weights end in a clear error and no images, not in a black image with exit 0. */
class GenerateNonFiniteWeightsTest {
    @TempDir
    Path dir;

    @Test
    void nanTextEncoderWeightsAreRefused() throws Exception {
        Path tiny = GoldenCommandTest.FIXTURES.resolve("tiny-sd");
        Path model = dir.resolve("model");
        try (Stream<Path> all = Files.walk(tiny)) {
            for (Path p : all.toList()) {
                Path t = model.resolve(tiny.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        Path weights = model.resolve("text_encoder/model.safetensors");
        poison(weights, "text_model.final_layer_norm.weight");
        Path out = dir.resolve("out");
        Captured r = GoldenCommandTest.run("generate", "--model", model.toString(), "--prompt", "cat", "--steps", "1",
                "--size", "64x64", "--out", out.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("text encoder") && r.err().contains("NaN/Inf") && r.err().contains("adi inspect"), r.err());
        assertFalse(Files.exists(out), "no output folder for a refused run");

        Captured inspect = GoldenCommandTest.run("inspect", "--stats", model.toString());
        assertEquals(1, inspect.code(), inspect.all());
        assertTrue(inspect.err().contains("text_model.final_layer_norm.weight") && inspect.err().contains("NaN"), inspect.err());
    }

    /** Overwrites the first element of an F32 tensor with NaN, in place. */
    static void poison(Path file, String tensor) throws Exception {
        long at;
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            TensorInfo t = r.info(tensor);
            assertEquals("F32", t.dtype().name());
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.read(len, 0);
            }
            at = 8 + len.getLong(0) + t.begin();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, Float.NaN), at);
        }
    }
}
