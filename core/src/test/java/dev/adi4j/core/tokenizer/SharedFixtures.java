package dev.adi4j.core.tokenizer;

import dev.adi4j.testsupport.Shared;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates /work/shared (system property {@code adi4j.shared}); fails loudly when it is missing. */
final class SharedFixtures {
    private SharedFixtures() {
    }

    static Path shared() {
        return Shared.root();
    }

    static Path hfTokenizerDir() { return shared().resolve("fixtures/tiny-sd/tokenizer"); }

    static Path bpeGz() { return shared().resolve("vocab/bpe_simple_vocab_16e6.txt.gz"); }

    static Path golden() { return shared().resolve("fixtures/tokenizer/tokenizer_golden.json"); }
}
