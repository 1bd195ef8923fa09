package dev.adi4j.core.tokenizer;

/**
 * Text to a fixed-length sequence of token ids, as a text encoder consumes it. Implemented by
 * {@link ClipTokenizer}; a word-level tokenizer for small test models can stand behind the same interface.
 */
public interface Tokenizer {
    /**
     * Encodes {@code text} to exactly {@link #contextLength()} ids: start token, content (truncated so the
     * end token fits), end token, then padding with {@link #padId()}.
     */
    int[] encode(String text);

    /**
     * Registers a token that is never split (e.g. a placeholder such as {@code <handstand>}) and returns its id.
     * New tokens get ids after the current vocabulary; adding a known token returns its existing id.
     */
    int addToken(String token);

    /** Number of ids in use, including added tokens (the embedding table needs this many rows). */
    int vocabSize();

    /** Length of every {@link #encode} result. */
    int contextLength();

    int padId();

    int bosId();

    int eosId();

    /** Best-effort text for {@code ids} (start token skipped, stops at the end token). */
    default String decode(int[] ids) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot decode");
    }
}
