package dev.adi4j.core.tokenizer;

import java.nio.file.Path;

/** Tokenizer files that are missing or malformed, or a request the tokenizer cannot serve. */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(Path file, String problem) {
        this(file, problem, null);
    }

    public TokenizerException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
