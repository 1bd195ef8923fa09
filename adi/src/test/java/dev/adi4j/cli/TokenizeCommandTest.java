package dev.adi4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @TempDir
    Path tmp;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private static Path shared() {
        Path p = Path.of(System.getProperty("adi4j.shared", "../shared"));
        if (!Files.isDirectory(p)) throw new IllegalStateException("shared fixtures folder not found: " + p);
        return p;
    }

    /** The ids as the command prints them, padded with 0 to 77. */
    private static String padded(int... ids) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 77; i++) sb.append(i == 0 ? "" : ", ").append(i < ids.length ? ids[i] : 0);
        return sb.append(']').toString();
    }

    private String stdout() { return out.toString(StandardCharsets.UTF_8); }

    private String stderr() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void hfFolderWithAddedTokensPrintsOneArrayPerText() {
        Path dir = shared().resolve("fixtures/tiny-sd/tokenizer");
        int code = Main.run("tokenize", "--tokenizer", dir.toString(), "--add-token", "<handstand>",
                "a panda <handstand>", "hello, world!");
        assertEquals(0, code, stderr());
        String[] lines = stdout().split("\n");
        assertEquals(2, lines.length, stdout());
        // goldens from tokenizer_golden.json (hf_ids of prompts #11 and #22)
        assertEquals(padded(49406, 320, 12952, 49408, 49407), lines[0]);
        assertEquals(padded(49406, 3306, 267, 1002, 0, 49407), lines[1]);
    }

    @Test
    void bpeGzWithOpenclipPipeline() {
        Path gz = shared().resolve("vocab/bpe_simple_vocab_16e6.txt.gz");
        int code = Main.run("tokenize", "--tokenizer", gz.toString(), "--pipeline", "openclip", "hello, world!");
        assertEquals(0, code, stderr());
        assertEquals(padded(49406, 3306, 267, 1002, 256, 49407), stdout().strip());
    }

    @Test
    void missingFolderIsOneClearLine() {
        Path missing = tmp.resolve("missing");
        int code = Main.run("tokenize", "--tokenizer", missing.toString(), "x");
        assertEquals(1, code);
        assertEquals("adi tokenize: error: " + missing + ": tokenizer folder or file not found", stderr().strip());
        assertEquals("", stdout());
    }

    @Test
    void missingVocabJsonIsOneClearLine() throws IOException {
        Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\na b\n");
        int code = Main.run("tokenize", "--tokenizer", tmp.toString(), "x");
        assertEquals(1, code);
        String e = stderr().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains(tmp.resolve("vocab.json") + ": file not found"), e);
    }

    @Test
    void unknownPipelineIsRejected() {
        int code = Main.run("tokenize", "--tokenizer", shared().resolve("vocab").toString(), "--pipeline", "bert", "x");
        assertEquals(1, code);
        assertTrue(stderr().contains("expected hf or openclip, got 'bert'"), stderr());
    }
}
