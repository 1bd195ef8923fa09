package dev.adi4j.core.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of a Hugging Face CLIP tokenizer folder. {@code vocab.json} and {@code merges.txt} are required;
 * {@code special_tokens_map.json} and {@code tokenizer_config.json} are optional (null when absent).
 * Describes where the files are; tokenization itself lives elsewhere.
 */
public record TokenizerFiles(Path folder, Path vocab, Path merges, Path specialTokensMap, Path tokenizerConfig) {
    public static final String VOCAB = "vocab.json";
    public static final String MERGES = "merges.txt";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    /** Locates the files in {@code folder}; a missing required file is a {@link ModelFolderException}. */
    public static TokenizerFiles in(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ModelFolderException(folder, "tokenizer folder not found; expected a folder holding "
                    + VOCAB + " and " + MERGES);
        }
        return new TokenizerFiles(folder, required(folder, VOCAB), required(folder, MERGES),
                optional(folder, SPECIAL_TOKENS_MAP).orElse(null), optional(folder, TOKENIZER_CONFIG).orElse(null));
    }

    private static Path required(Path folder, String name) {
        Path p = folder.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new ModelFolderException(p, "tokenizer file missing; a CLIP tokenizer needs " + VOCAB + " and " + MERGES);
        }
        return p;
    }

    private static Optional<Path> optional(Path folder, String name) {
        Path p = folder.resolve(name);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
}
