package dev.adi4j.convert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** vocab.json + merges.txt derived from CLIP's BPE file are byte-identical to transformers' SD 2.1 files. */
class TokenizerWriterTest {
    @Test
    void derivedFromBpeGzEqualsTheHuggingFaceFiles(@TempDir Path dir) throws Exception {
        Path vocab = Fixtures.shared().resolve("vocab");
        TokenizerWriter.write(vocab.resolve("bpe_simple_vocab_16e6.txt.gz"), dir);
        assertEquals(-1, Files.mismatch(vocab.resolve("vocab.json"), dir.resolve("vocab.json")));
        assertEquals(-1, Files.mismatch(vocab.resolve("merges.txt"), dir.resolve("merges.txt")));
        assertEquals(-1, Files.mismatch(Fixtures.tinySd().resolve("tokenizer/special_tokens_map.json"),
                dir.resolve("special_tokens_map.json")));
    }
}
