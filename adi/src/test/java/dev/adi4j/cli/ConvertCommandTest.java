package dev.adi4j.cli;

import dev.adi4j.testsupport.Captured;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code adi convert}: exit codes, progress on stderr, the verify table, one-line errors. */
class ConvertCommandTest {
    @TempDir
    Path dir;

    @Test
    void convertsADiffusersFolderAndVerifiesIt() throws Exception {
        Path tiny = GoldenCommandTest.FIXTURES.resolve("tiny-sd");
        Path out = dir.resolve("model");
        Captured r = GoldenCommandTest.run("convert", "--from", tiny.toString(), "--to", out.toString(),
                "--dtype", "bf16");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("tensor 1 of "), r.err());
        assertTrue(r.out().contains("OK"), r.out());
        Captured again = GoldenCommandTest.run("convert", "--from", tiny.toString(), "--to", out.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("--force"), again.err());

        Files.delete(out.resolve("unet/config.json"));
        Captured verify = GoldenCommandTest.run("convert", "--verify", out.toString());
        assertEquals(1, verify.code(), verify.out());
        assertTrue(verify.out().contains("unet/config.json"), verify.out());
    }

    @Test
    void refusesPickles() throws Exception {
        Path ckpt = Files.write(dir.resolve("v2-1_768-ema-pruned.ckpt"), new byte[]{1});
        Captured r = GoldenCommandTest.run("convert", "--from", ckpt.toString(), "--to", dir.resolve("m").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("v2-1_768-ema-pruned.ckpt") && r.err().contains(".safetensors"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
