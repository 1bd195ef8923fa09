package dev.adi4j.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both vocabulary formats agree; bad files give a {@link TokenizerException} naming the file. */
class ClipVocabularyTest {
    @TempDir
    Path tmp;

    @Test
    void bpeGzAndHuggingFaceFilesGiveTheSameVocabulary() {
        ClipVocabulary fromGz = ClipVocabulary.load(SharedFixtures.bpeGz());
        ClipVocabulary fromHf = ClipVocabulary.load(SharedFixtures.hfTokenizerDir());
        assertEquals(49408, fromGz.size());
        assertEquals(fromHf.size(), fromGz.size());
        for (int id = 0; id < fromGz.size(); id++) assertEquals(fromHf.token(id), fromGz.token(id), "token " + id);
        assertEquals(fromHf.merges().size(), fromGz.merges().size());
        assertEquals(0, fromGz.id("!"));
        assertEquals(256, fromGz.id("!</w>"));
        assertEquals(49406, fromGz.id("<|startoftext|>"));
        assertEquals(49407, fromGz.id("<|endoftext|>"));
    }

    @Test
    void bothLoadersGiveTheSameIdsForEveryGoldenPromptInBothPipelines() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(SharedFixtures.golden().toFile());
        ClipSpecialTokens sd21 = ClipSpecialTokens.read(SharedFixtures.hfTokenizerDir());
        ClipVocabulary gz = ClipVocabulary.load(SharedFixtures.shared().resolve("vocab/" + ClipVocabulary.BPE_GZ));
        ClipVocabulary hf = ClipVocabulary.load(SharedFixtures.hfTokenizerDir());
        for (ClipTokenizer.Pipeline p : ClipTokenizer.Pipeline.values()) {
            ClipTokenizer a = new ClipTokenizer(gz, sd21, p);
            ClipTokenizer b = new ClipTokenizer(hf, sd21, p);
            for (JsonNode prompt : golden.get("prompts")) {
                String text = prompt.get("text").asText();
                assertArrayEquals(b.encode(text), a.encode(text), p + ": " + text);
            }
        }
    }

    @Test
    void folderHoldingTheGzIsAccepted() throws IOException {
        Files.copy(SharedFixtures.bpeGz(), tmp.resolve(ClipVocabulary.BPE_GZ));
        assertEquals(ClipVocabulary.Source.BPE_GZ, ClipVocabulary.load(tmp).source());
    }

    @Test
    void missingFolder() {
        Path missing = tmp.resolve("nope");
        TokenizerException e = assertThrows(TokenizerException.class, () -> ClipTokenizer.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void emptyFolder() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> ClipVocabulary.load(tmp));
        assertTrue(e.getMessage().contains("vocab.json") && e.getMessage().contains(ClipVocabulary.BPE_GZ),
                e.getMessage());
    }

    @Test
    void missingVocabJson() throws IOException {
        Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\na b\n");
        assertMessage(() -> ClipVocabulary.load(tmp), tmp.resolve("vocab.json") + ": file not found");
    }

    @Test
    void missingMergesTxt() throws IOException {
        Files.copy(SharedFixtures.hfTokenizerDir().resolve("vocab.json"), tmp.resolve("vocab.json"));
        assertMessage(() -> ClipVocabulary.load(tmp), tmp.resolve("merges.txt") + ": file not found");
    }

    @Test
    void malformedVocabJson() throws IOException {
        Files.writeString(tmp.resolve("vocab.json"), "{\"a\": 0, ");
        Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\na b\n");
        assertMessage(() -> ClipVocabulary.load(tmp), tmp.resolve("vocab.json") + ": not valid JSON");
        Files.writeString(tmp.resolve("vocab.json"), "[1, 2]");
        assertMessage(() -> ClipVocabulary.load(tmp), tmp.resolve("vocab.json") + ": expected a JSON object");
        Files.writeString(tmp.resolve("vocab.json"), "{\"a\": \"zero\"}");
        assertMessage(() -> ClipVocabulary.load(tmp), tmp.resolve("vocab.json") + ": token 'a': expected an integer id");
        Files.writeString(tmp.resolve("vocab.json"), "{\"a\": 0, \"b\": 2}");
        assertMessage(() -> ClipVocabulary.load(tmp), tmp.resolve("vocab.json") + ": ids are not contiguous: no token has id 1");
        Files.writeString(tmp.resolve("vocab.json"), "{\"a\": 0, \"b\": 1}");
        assertMessage(() -> ClipVocabulary.load(tmp), "is missing from the vocabulary");
    }

    @Test
    void malformedMergesTxt() throws IOException {
        Files.copy(SharedFixtures.hfTokenizerDir().resolve("vocab.json"), tmp.resolve("vocab.json"));
        Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\ni n\nthis line has four parts\n");
        assertMessage(() -> ClipVocabulary.load(tmp), tmp.resolve("merges.txt") + ": line 3: expected two symbols");
        Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\n");
        assertMessage(() -> ClipVocabulary.load(tmp), tmp.resolve("merges.txt") + ": holds no merges");
        Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\ni n\nq z\n");
        assertMessage(() -> ClipTokenizer.load(tmp), "merged token 'qz' is not in the vocabulary");
    }

    @Test
    void corruptGz() throws IOException {
        Path gz = tmp.resolve(ClipVocabulary.BPE_GZ);
        Files.writeString(gz, "not gzip");
        assertMessage(() -> ClipVocabulary.load(gz), gz + ": cannot read as gzip text");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("header\nonly-one-symbol\n".getBytes(StandardCharsets.UTF_8));
        }
        assertMessage(() -> ClipVocabulary.load(gz), gz + ": line 2: expected two symbols");
    }

    @Test
    void malformedSpecialTokenFiles() throws IOException {
        Path dir = tmp.resolve("tok");
        Files.createDirectories(dir);
        Files.copy(SharedFixtures.hfTokenizerDir().resolve("vocab.json"), dir.resolve("vocab.json"));
        Files.copy(SharedFixtures.hfTokenizerDir().resolve("merges.txt"), dir.resolve("merges.txt"));
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": 5}");
        assertMessage(() -> ClipTokenizer.load(dir), dir.resolve("special_tokens_map.json") + ": field 'pad_token'");
        Files.writeString(dir.resolve("special_tokens_map.json"), "{");
        assertMessage(() -> ClipTokenizer.load(dir), dir.resolve("special_tokens_map.json") + ": not valid JSON");
        Files.delete(dir.resolve("special_tokens_map.json"));
        ClipTokenizer defaults = ClipTokenizer.load(dir);
        assertEquals(49407, defaults.padId(), "without the SD 2.1 map, CLIPTokenizer pads with <|endoftext|>");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expectedPart) {
        TokenizerException e = assertThrows(TokenizerException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), "message '" + e.getMessage() + "' lacks '" + expectedPart + "'");
    }
}
