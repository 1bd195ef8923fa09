package dev.adi4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adi4j.testsupport.Captured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code adi inspect}: files and model folders, text and JSON, exit 0 only for valid input. */
class InspectCommandTest {
    static final Path TINY = GoldenCommandTest.FIXTURES.resolve("tiny-sd");

    @TempDir
    Path dir;

    static Path safetensors(Path file, String header, byte[] data) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return Files.write(file, b.array());
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    @Test
    void listsAFileWithStatsAndJson() throws Exception {
        Path f = safetensors(dir.resolve("w.safetensors"), "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[8,9]}}",
                concat(f32(Float.NaN, 1f), new byte[]{0x38}));
        Captured r = GoldenCommandTest.run("inspect", "--stats", f.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("valid safetensors, 2 tensors") && r.out().contains("metadata k = v")
                && r.out().contains("[0, 8)") && r.out().contains("NaN 1") && r.out().contains("F8_E4M3"), r.out());

        Captured j = GoldenCommandTest.run("inspect", "--json", "--stats", f.toString());
        assertEquals(0, j.code(), j.all());
        JsonNode node = new ObjectMapper().readTree(j.out());
        assertTrue(node.get("valid").asBoolean());
        assertEquals(1, node.get("tensors").get(0).get("nan").asLong());
        assertEquals(2, node.get("tensors").get(0).get("shape").get(0).asLong());
    }

    @Test
    void anInvalidFileIsOneLineAndExitOne() throws Exception {
        Path f = safetensors(dir.resolve("gap.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1, 2));
        Captured r = GoldenCommandTest.run("inspect", f.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(f.toString()) && r.err().contains("trailing bytes"), r.err());

        Captured missing = GoldenCommandTest.run("inspect", dir.resolve("absent.safetensors").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void aModelFolderIsResolvedAndChecked() throws Exception {
        Captured r = GoldenCommandTest.run("inspect", TINY.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("unet") && r.out().contains("diffusion_pytorch_model.safetensors")
                && r.out().contains("scheduler") && r.out().trim().endsWith("OK"), r.out());

        // a copy whose VAE config asks for another latent width: shapes no longer match
        Path copy = dir.resolve("model");
        try (Stream<Path> all = Files.walk(TINY)) {
            for (Path p : all.toList()) {
                Path t = copy.resolve(TINY.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        Path vaeConfig = copy.resolve("vae/config.json");
        Files.writeString(vaeConfig, Files.readString(vaeConfig).replaceFirst("\"latent_channels\"\\s*:\\s*4", "\"latent_channels\": 3"));
        Captured bad = GoldenCommandTest.run("inspect", "--json", copy.toString());
        assertEquals(1, bad.code(), bad.all());
        assertTrue(bad.err().contains("wrong shape") && bad.err().contains("vae"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(!new ObjectMapper().readTree(bad.out()).get("valid").asBoolean());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
