package dev.adi4j.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adi4j.core.io.AtomicWrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A word-level tokenizer for small worlds with a closed vocabulary (the mini action world): text is split on
 * whitespace and every word must be known, because a word the model never saw would silently become noise.
 * Ids: {@code <bos>} 0, {@code <eos>} 1, {@code <pad>} 2, then the words. Saved as {@code vocab.json} and
 * {@code tokenizer_config.json} with {@code "tokenizer_class": "WordLevel"} in a model folder's tokenizer/.
 */
public final class WordTokenizer implements Tokenizer {
    public static final String TOKENIZER_CLASS = "WordLevel";
    public static final String VOCAB = "vocab.json";
    public static final String CONFIG = "tokenizer_config.json";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    public static final String PAD = "<pad>";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    /** Tokens below this id are the saved vocabulary; the rest were added at run time. */
    private final int baseSize;
    private final int contextLength;

    private WordTokenizer(Collection<String> words, int contextLength) {
        if (contextLength < 3) throw new TokenizerException("context length must be at least 3, got " + contextLength);
        this.contextLength = contextLength;
        for (String w : List.of(BOS, EOS, PAD)) put(w);
        for (String w : words) {
            if (w.isBlank() || w.chars().anyMatch(Character::isWhitespace) || !w.equals(w.toLowerCase())) {
                throw new TokenizerException("vocabulary word '" + w + "' must be one lower-case word");
            }
            if (!ids.containsKey(w)) put(w);
        }
        baseSize = tokens.size();
    }

    /** A tokenizer over {@code words} (duplicates ignored, order kept) producing {@code contextLength} ids. */
    public static WordTokenizer of(Collection<String> words, int contextLength) {
        return new WordTokenizer(new LinkedHashSet<>(words), contextLength);
    }

    private int put(String token) {
        tokens.add(token);
        ids.put(token, tokens.size() - 1);
        return tokens.size() - 1;
    }

    /** Whether {@code folder} holds a word-level tokenizer (its tokenizer_config.json says so). */
    public static boolean isWordLevel(Path folder) {
        Path config = folder.resolve(CONFIG);
        if (!Files.isRegularFile(config)) return false;
        try {
            JsonNode c = JSON.readTree(config.toFile());
            return TOKENIZER_CLASS.equals(c.path("tokenizer_class").asText());
        } catch (IOException e) {
            throw new TokenizerException(config, "unreadable tokenizer config: " + e.getMessage(), e);
        }
    }

    /** Loads the tokenizer saved by {@link #save} in {@code folder}. */
    public static WordTokenizer load(Path folder) {
        Path vocab = folder.resolve(VOCAB);
        Path config = folder.resolve(CONFIG);
        try {
            JsonNode c = JSON.readTree(config.toFile());
            if (!TOKENIZER_CLASS.equals(c.path("tokenizer_class").asText())) {
                throw new TokenizerException(config, "tokenizer_class is not " + TOKENIZER_CLASS);
            }
            int length = c.path("model_max_length").asInt(-1);
            if (length < 3) throw new TokenizerException(config, "model_max_length missing or below 3");
            JsonNode v = JSON.readTree(vocab.toFile());
            String[] byId = new String[v.size()];
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int id = e.getValue().asInt(-1);
                if (id < 0 || id >= byId.length || byId[id] != null) {
                    throw new TokenizerException(vocab, "ids must be 0.." + (byId.length - 1) + ", each once; '"
                            + e.getKey() + "' has " + e.getValue());
                }
                byId[id] = e.getKey();
            }
            if (byId.length < 3 || !byId[0].equals(BOS) || !byId[1].equals(EOS) || !byId[2].equals(PAD)) {
                throw new TokenizerException(vocab, "ids 0, 1, 2 must be " + BOS + ", " + EOS + ", " + PAD);
            }
            return new WordTokenizer(List.of(byId).subList(3, byId.length), length);
        } catch (IOException e) {
            throw new TokenizerException(folder, "cannot read the word-level tokenizer: " + e.getMessage(), e);
        }
    }

    /** Writes vocab.json (the vocabulary without added tokens) and tokenizer_config.json into {@code folder}. */
    public void save(Path folder) {
        ObjectNode vocab = JSON.createObjectNode();
        for (int i = 0; i < baseSize; i++) vocab.put(tokens.get(i), i);
        ObjectNode config = JSON.createObjectNode();
        config.put("tokenizer_class", TOKENIZER_CLASS);
        config.put("model_max_length", contextLength);
        config.put("bos_token", BOS);
        config.put("eos_token", EOS);
        config.put("pad_token", PAD);
        try {
            Files.createDirectories(folder);
            AtomicWrite.write(folder.resolve(VOCAB), true, t -> JSON.writerWithDefaultPrettyPrinter().writeValue(t.toFile(), vocab));
            AtomicWrite.write(folder.resolve(CONFIG), true, t -> JSON.writerWithDefaultPrettyPrinter().writeValue(t.toFile(), config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[contextLength];
        java.util.Arrays.fill(out, padId());
        out[0] = bosId();
        int n = 1;
        for (String w : text.trim().split("\\s+")) {
            if (w.isEmpty()) continue;
            Integer id = ids.get(w);
            if (id == null) id = ids.get(w.toLowerCase());
            if (id == null || id < 3) {
                throw new TokenizerException("unknown word '" + w + "' in \"" + text + "\": the vocabulary has "
                        + (baseSize - 3) + " words (and " + (tokens.size() - baseSize) + " added tokens)");
            }
            if (n < contextLength - 1) out[n++] = id;
        }
        out[n] = eosId();
        return out;
    }

    @Override
    public int addToken(String token) {
        Integer known = ids.get(token);
        if (known != null) return known;
        if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
            throw new TokenizerException("an added token must be one word without spaces, got '" + token + "'");
        }
        return put(token);
    }

    @Override
    public int vocabSize() { return tokens.size(); }

    /** Size of the saved vocabulary, specials included, without added tokens. */
    public int baseVocabSize() { return baseSize; }

    /** The saved vocabulary's words, without specials and added tokens. */
    public List<String> words() { return List.copyOf(tokens.subList(3, baseSize)); }

    @Override
    public int contextLength() { return contextLength; }

    @Override
    public int padId() { return 2; }

    @Override
    public int bosId() { return 0; }

    @Override
    public int eosId() { return 1; }

    @Override
    public String decode(int[] ids) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (i == 0 && ids[i] == bosId()) continue;
            if (ids[i] == eosId()) break;
            if (ids[i] == padId()) continue;
            if (s.length() > 0) s.append(' ');
            s.append(ids[i] >= 0 && ids[i] < tokens.size() ? tokens.get(ids[i]) : "<" + ids[i] + "?>");
        }
        return s.toString();
    }
}
