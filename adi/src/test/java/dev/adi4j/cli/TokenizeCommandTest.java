package dev.adi4j.cli;

import dev.adi4j.testsupport.Captured;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeCommandTest {
    @TempDir
    Path tmp;

    private static Path shared() {
        return Shared.root();
    }

    /** The ids as the command prints them, padded with 0 to 77. */
    private static String padded(int... ids) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 77; i++) sb.append(i == 0 ? "" : ", ").append(i < ids.length ? ids[i] : 0);
        return sb.append(']').toString();
    }

    @Test
    void hfFolderWithAddedTokensPrintsOneArrayPerText() {
        Path dir = shared().resolve("fixtures/tiny-sd/tokenizer");
        Captured r = Captured.run(() -> Main.run("tokenize", "--tokenizer", dir.toString(), "--add-token", "<handstand>",
                "a panda <handstand>", "hello, world!"));
        int code = r.code();
        assertEquals(0, code, r.err());
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length, r.out());
        // goldens from tokenizer_golden.json (hf_ids of prompts #11 and #22)
        assertEquals(padded(49406, 320, 12952, 49408, 49407), lines[0]);
        assertEquals(padded(49406, 3306, 267, 1002, 0, 49407), lines[1]);
    }

    @Test
    void bpeGzWithOpenclipPipeline() {
        Path gz = shared().resolve("vocab/bpe_simple_vocab_16e6.txt.gz");
        Captured r = Captured.run(() -> Main.run("tokenize", "--tokenizer", gz.toString(), "--pipeline", "openclip", "hello, world!"));
        int code = r.code();
        assertEquals(0, code, r.err());
        assertEquals(padded(49406, 3306, 267, 1002, 256, 49407), r.out().strip());
    }

    @Test
    void missingFolderIsOneClearLine() {
        Path missing = tmp.resolve("missing");
        Captured r = Captured.run(() -> Main.run("tokenize", "--tokenizer", missing.toString(), "x"));
        int code = r.code();
        assertEquals(1, code);
        assertEquals("adi tokenize: error: " + missing + ": tokenizer folder or file not found", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void missingVocabJsonIsOneClearLine() throws IOException {
        Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\na b\n");
        Captured r = Captured.run(() -> Main.run("tokenize", "--tokenizer", tmp.toString(), "x"));
        int code = r.code();
        assertEquals(1, code);
        String e = r.err().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains(tmp.resolve("vocab.json") + ": file not found"), e);
    }

    @Test
    void unknownPipelineIsRejected() {
        Captured r = Captured.run(() -> Main.run("tokenize", "--tokenizer", shared().resolve("vocab").toString(), "--pipeline", "bert", "x"));
        int code = r.code();
        assertEquals(1, code);
        assertTrue(r.err().contains("expected hf or openclip, got 'bert'"), r.err());
    }
}
