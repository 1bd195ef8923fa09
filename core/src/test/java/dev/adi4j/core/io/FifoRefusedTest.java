package dev.adi4j.core.io;

import dev.adi4j.core.config.ConfigException;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.image.ImageFormatException;
import dev.adi4j.core.image.Images;
import dev.adi4j.core.image.PngText;
import dev.adi4j.core.model.ModelIndex;
import dev.adi4j.core.tokenizer.ClipTokenizer;
import dev.adi4j.core.tokenizer.ClipVocabulary;
import dev.adi4j.core.tokenizer.TokenizerException;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A FIFO in place of a config, image or tokenizer file is refused at once instead of blocking on open (the timeout
 * keeps a regression from hanging the suite).
 */
class FifoRefusedTest {
    @TempDir
    Path dir;

    static Path fifo(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        assumeTrue(new ProcessBuilder("mkfifo", file.toString()).start().waitFor() == 0, "mkfifo unavailable");
        return file;
    }

    static <T extends Throwable> void refused(Class<T> type, Path file, Executable read) {
        T e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(type, read));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a regular file"),
                e.getMessage());
    }

    @Test
    void problemTexts() throws Exception {
        Path f = Files.writeString(dir.resolve("a.json"), "{}");
        assertNull(RegularFiles.problem(f, "config"));
        assertEquals("file not found", RegularFiles.problem(dir.resolve("none"), "config"));
        assertTrue(RegularFiles.problem(dir, "config").startsWith("is a folder, not a regular file"));
        assertTrue(RegularFiles.problem(fifo(dir.resolve("p")), "config").contains("FIFO"));
    }

    @Test
    void configJson() throws Exception {
        Path f = fifo(dir.resolve("unet/config.json"));
        refused(ConfigException.class, f, () -> Configs.read(f, UNetConfig.class));
    }

    @Test
    void modelIndex() throws Exception {
        Path f = fifo(dir.resolve("model_index.json"));
        refused(ConfigException.class, f, () -> ModelIndex.read(f));
    }

    @Test
    void imagesAndPngText() throws Exception {
        Path f = fifo(dir.resolve("photo.png"));
        refused(ImageFormatException.class, f, () -> Images.readRgb(f));
        refused(ImageFormatException.class, f, () -> PngText.read(f));
    }

    @Test
    void tokenizerVocabMergesAndBpe() throws Exception {
        Path tok = Shared.tinySd().resolve("tokenizer");
        Path vocabFifo = dir.resolve("a");
        Files.createDirectories(vocabFifo);
        Files.copy(tok.resolve(ClipVocabulary.HF_MERGES), vocabFifo.resolve(ClipVocabulary.HF_MERGES));
        Path v = fifo(vocabFifo.resolve(ClipVocabulary.HF_VOCAB));
        refused(TokenizerException.class, v, () -> ClipVocabulary.fromHuggingFace(vocabFifo));

        Path mergesFifo = dir.resolve("b");
        Files.createDirectories(mergesFifo);
        Files.copy(tok.resolve(ClipVocabulary.HF_VOCAB), mergesFifo.resolve(ClipVocabulary.HF_VOCAB));
        Path m = fifo(mergesFifo.resolve(ClipVocabulary.HF_MERGES));
        refused(TokenizerException.class, m, () -> ClipVocabulary.fromHuggingFace(mergesFifo));

        Path gz = fifo(dir.resolve("c/" + ClipVocabulary.BPE_GZ));
        refused(TokenizerException.class, gz, () -> ClipVocabulary.load(gz.getParent()));
    }

    @Test
    void tokenizerSpecialTokensFile() throws Exception {
        Path tok = dir.resolve("tok");
        Files.createDirectories(tok);
        Path src = Shared.tinySd().resolve("tokenizer");
        for (String n : new String[]{ClipVocabulary.HF_VOCAB, ClipVocabulary.HF_MERGES}) {
            Files.copy(src.resolve(n), tok.resolve(n));
        }
        Path f = fifo(tok.resolve("special_tokens_map.json"));
        refused(TokenizerException.class, f, () -> ClipTokenizer.load(tok, ClipTokenizer.Pipeline.HF));
    }
}
