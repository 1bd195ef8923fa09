package dev.adi4j.core.tokenizer;

import dev.adi4j.core.io.RegularFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start, end, unknown and padding tokens and the context length of a CLIP tokenizer, as a Hugging Face
 * {@code tokenizer_config.json} / {@code special_tokens_map.json} pair defines them (the map wins, as in
 * transformers). SD 2.1 pads with {@code "!"}.
 */
public record ClipSpecialTokens(Token bos, Token eos, Token unk, Token pad, int contextLength) {
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One special token. {@code lstrip}/{@code rstrip} say whether whitespace left/right of it in the raw text is
     * dropped; transformers strips both sides of tokens given as plain strings and follows the flags of
     * {@code AddedToken} objects.
     */
    public record Token(String content, boolean lstrip, boolean rstrip) {
        static Token plain(String content) { return new Token(content, true, true); }
    }

    /** transformers' {@code CLIPTokenizer} defaults (pad = {@code <|endoftext|>}, 77 positions). */
    public static ClipSpecialTokens clipDefaults() {
        Token eos = Token.plain(ClipVocabulary.END_OF_TEXT);
        return new ClipSpecialTokens(Token.plain(ClipVocabulary.START_OF_TEXT), eos, eos, eos, 77);
    }

    /** Reads the two JSON files in {@code dir}; missing files or keys keep {@link #clipDefaults()}. */
    public static ClipSpecialTokens read(Path dir) {
        ClipSpecialTokens t = clipDefaults();
        Path config = dir.resolve(TOKENIZER_CONFIG);
        if (Files.exists(config)) t = t.overriddenBy(config, readJson(config));
        Path map = dir.resolve(SPECIAL_TOKENS_MAP);
        if (Files.exists(map)) t = t.overriddenBy(map, readJson(map));
        return t;
    }

    private ClipSpecialTokens overriddenBy(Path file, JsonNode root) {
        int ctx = contextLength;
        JsonNode max = root.get("model_max_length");
        if (max != null && !max.isNull()) {
            if (!max.isNumber() || max.asDouble() < 3) {
                throw new TokenizerException(file, "field 'model_max_length': expected an integer >= 3, got " + max);
            }
            // transformers writes a huge placeholder when no limit is known; CLIP's positions stay 77 then.
            if (max.asDouble() <= 100_000) ctx = max.asInt();
        }
        return new ClipSpecialTokens(token(file, root, "bos_token", bos), token(file, root, "eos_token", eos),
                token(file, root, "unk_token", unk), token(file, root, "pad_token", pad), ctx);
    }

    private static Token token(Path file, JsonNode root, String key, Token fallback) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) return fallback;
        if (v.isTextual()) return Token.plain(v.asText());
        if (v.isObject() && v.path("content").isTextual()) {
            return new Token(v.get("content").asText(), v.path("lstrip").asBoolean(false),
                    v.path("rstrip").asBoolean(false));
        }
        throw new TokenizerException(file, "field '" + key + "': expected a string or an object with a string"
                + " 'content', got " + v);
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode root = JSON.readTree(RegularFiles.require(file, "tokenizer config", TokenizerException::new).toFile());
            if (root == null || !root.isObject()) throw new TokenizerException(file, "expected a JSON object");
            return root;
        } catch (JsonProcessingException e) {
            throw new TokenizerException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException(file, "cannot read: " + e.getMessage(), e);
        }
    }
}
