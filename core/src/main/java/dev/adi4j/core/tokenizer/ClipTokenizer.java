package dev.adi4j.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * CLIP's byte-level BPE tokenizer, reproducing one of two reference pipelines exactly (see {@link Pipeline}).
 * Instances are safe for concurrent {@link #encode} calls; {@link #addToken} must not race with them.
 */
public final class ClipTokenizer implements Tokenizer {
    /** How raw text becomes BPE input; the two differ on "!", added tokens, HTML entities and special strings. */
    public enum Pipeline {
        /**
         * transformers' slow {@code CLIPTokenizer} with ftfy installed (the diffusers SD 2.1 path): the raw text is
         * split on special and added tokens (SD 2.1's pad token "!" included, so each "!" is id 0), whitespace
         * next to them is dropped, each piece becomes {@code whitespace_clean(ftfy.fix_text(piece)).lower()};
         * content truncated to context - 2, padded with the pad token's id.
         */
        HF,
        /**
         * {@code open_clip.tokenize} (v2.7.0, the original SD 2.x path): {@code whitespace_clean(basic_clean(text))
         * .lower()} with {@code basic_clean} = ftfy.fix_text, html.unescape twice, strip; literal
         * {@code <start_of_text>}/{@code <end_of_text>} are the special tokens; no added tokens; padded with 0.
         */
        OPENCLIP
    }

    private static final String WORD_PATTERN =
            "|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\p{IsWhite_Space}\\p{L}\\p{N}]+";

    private final ClipVocabulary vocab;
    private final BytePairEncoder bpe;
    private final Pipeline pipeline;
    private final ClipSpecialTokens specials;
    private final int bosId;
    private final int eosId;
    private final int padId;
    /** Literal strings the pre-tokenizer regex emits whole, with their ids (CLIP's cache of special tokens). */
    private final Map<String, Integer> regexSpecials = new LinkedHashMap<>();
    private final Pattern preTokenizer;
    private final Map<String, Integer> addedTokens = new LinkedHashMap<>();
    /** Tokens the HF pipeline never splits, longest first (leftmost-longest matching). */
    private volatile List<NoSplit> noSplit;

    private record NoSplit(String content, int id, boolean lstrip, boolean rstrip) {
    }

    /** Tokenizer over {@code vocab} with the given special tokens and pipeline. */
    public ClipTokenizer(ClipVocabulary vocab, ClipSpecialTokens specials, Pipeline pipeline) {
        this.vocab = vocab;
        this.bpe = new BytePairEncoder(vocab);
        this.pipeline = pipeline;
        this.specials = specials;
        int unkId = requireId(specials.unk().content(), "unk_token");
        this.bosId = idOr(specials.bos().content(), unkId);
        this.eosId = idOr(specials.eos().content(), unkId);
        this.padId = pipeline == Pipeline.OPENCLIP ? 0 : idOr(specials.pad().content(), unkId);
        if (pipeline == Pipeline.HF) {
            regexSpecials.put(ClipVocabulary.START_OF_TEXT, requireId(ClipVocabulary.START_OF_TEXT, "bos"));
            regexSpecials.put(ClipVocabulary.END_OF_TEXT, requireId(ClipVocabulary.END_OF_TEXT, "eos"));
        } else {
            regexSpecials.put("<start_of_text>", bosId);
            regexSpecials.put("<end_of_text>", eosId);
        }
        String specialAlternatives = regexSpecials.keySet().stream().map(Pattern::quote)
                .collect(Collectors.joining("|"));
        this.preTokenizer = Pattern.compile(specialAlternatives + WORD_PATTERN,
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        rebuildNoSplit();
    }

    /**
     * Loads a tokenizer from a Hugging Face tokenizer folder (with its special-token files; default pipeline
     * {@link Pipeline#HF}) or from {@code bpe_simple_vocab_16e6.txt.gz} or a folder holding it (CLIP's defaults;
     * default pipeline {@link Pipeline#OPENCLIP}). {@code pipeline} may be null for the default.
     */
    public static ClipTokenizer load(Path path, Pipeline pipeline) {
        ClipVocabulary vocab = ClipVocabulary.load(path);
        boolean hf = vocab.source() == ClipVocabulary.Source.HUGGING_FACE;
        ClipSpecialTokens specials = hf ? ClipSpecialTokens.read(vocab.location()) : ClipSpecialTokens.clipDefaults();
        Pipeline p = pipeline != null ? pipeline : hf ? Pipeline.HF : Pipeline.OPENCLIP;
        return new ClipTokenizer(vocab, specials, p);
    }

    /** {@link #load(Path, Pipeline)} with the default pipeline. */
    public static ClipTokenizer load(Path path) {
        return load(path, null);
    }

    public Pipeline pipeline() { return pipeline; }

    public ClipVocabulary vocabulary() { return vocab; }

    @Override
    public int[] encode(String text) {
        int[] content = contentIds(text);
        int ctx = specials.contextLength();
        int[] ids = new int[ctx];
        Arrays.fill(ids, padId);
        int n = Math.min(content.length, ctx - 2);
        ids[0] = bosId;
        System.arraycopy(content, 0, ids, 1, n);
        ids[n + 1] = eosId;
        return ids;
    }

    /** Ids of {@code text} without start/end tokens, truncation or padding. */
    public int[] contentIds(String text) {
        IntList out = new IntList();
        if (pipeline == Pipeline.OPENCLIP) {
            String clean = TextFixer.pythonStrip(HtmlEntities.pythonUnescape(HtmlEntities.pythonUnescape(
                    TextFixer.fixText(text))));
            appendBpe(TextFixer.pythonLower(TextFixer.whitespaceClean(clean)), out);
        } else {
            for (Object piece : splitOnNoSplitTokens(text)) {
                if (piece instanceof NoSplit t) {
                    out.add(t.id());
                } else {
                    String s = (String) piece;
                    appendBpe(TextFixer.pythonLower(TextFixer.whitespaceClean(TextFixer.fixText(s))), out);
                }
            }
        }
        return out.toArray();
    }

    /** Token strings of {@code text} (for debugging and the CLI), without start/end tokens. */
    public List<String> tokenStrings(String text) {
        List<String> out = new ArrayList<>();
        for (int id : contentIds(text)) out.add(tokenString(id));
        return out;
    }

    private String tokenString(int id) {
        if (id < vocab.size()) return vocab.token(id);
        for (Map.Entry<String, Integer> e : addedTokens.entrySet()) if (e.getValue() == id) return e.getKey();
        throw new IllegalArgumentException("id " + id + " is outside the vocabulary (" + vocabSize() + " ids)");
    }

    private void appendBpe(String cleaned, IntList out) {
        if (cleaned.isEmpty()) return;
        Matcher m = preTokenizer.matcher(cleaned);
        while (m.find()) {
            String preToken = m.group();
            Integer special = regexSpecials.get(preToken);
            if (special != null) out.add(special); else out.addAll(bpe.encode(preToken));
        }
    }

    /**
     * transformers' split of the raw text on no-split tokens (its trie: earliest start, longest match, case
     * sensitive), dropping whitespace beside them per their strip flags. Pieces are strings or {@link NoSplit}.
     */
    private List<Object> splitOnNoSplitTokens(String text) {
        List<NoSplit> tokens = noSplit;
        List<Object> pieces = new ArrayList<>();
        int segStart = 0;
        int i = 0;
        while (i < text.length()) {
            NoSplit hit = null;
            for (NoSplit t : tokens) {
                if (text.startsWith(t.content(), i)) {
                    hit = t;
                    break;
                }
            }
            if (hit == null) {
                i++;
                continue;
            }
            if (i > segStart) pieces.add(text.substring(segStart, i));
            pieces.add(hit);
            i += hit.content().length();
            segStart = i;
        }
        if (segStart < text.length()) pieces.add(text.substring(segStart));
        for (int k = 0; k < pieces.size(); k++) {
            if (!(pieces.get(k) instanceof NoSplit t)) continue;
            if (t.rstrip() && k + 1 < pieces.size() && pieces.get(k + 1) instanceof String right) {
                pieces.set(k + 1, lstrip(right));
            }
            if (t.lstrip() && k > 0 && pieces.get(k - 1) instanceof String left) pieces.set(k - 1, rstrip(left));
        }
        return pieces;
    }

    @Override
    public synchronized int addToken(String token) {
        if (pipeline == Pipeline.OPENCLIP) {
            throw new TokenizerException("cannot add token '" + token + "': the openclip pipeline has no added"
                    + " tokens (open_clip.tokenize would split it); use the hf pipeline");
        }
        if (token == null || token.isEmpty()) throw new TokenizerException("cannot add an empty token");
        Integer known = addedTokens.get(token);
        if (known != null) return known;
        // As transformers' add_tokens: a token already in the vocabulary is neither added nor made unsplittable.
        int inVocab = vocab.id(token);
        if (inVocab >= 0) return inVocab;
        int id = vocabSize();
        addedTokens.put(token, id);
        rebuildNoSplit();
        return id;
    }

    /** Added tokens and their ids, in the order they were added. */
    public Map<String, Integer> addedTokens() { return Map.copyOf(addedTokens); }

    @Override
    public int vocabSize() { return vocab.size() + addedTokens.size(); }

    @Override
    public int contextLength() { return specials.contextLength(); }

    @Override
    public int padId() { return padId; }

    @Override
    public int bosId() { return bosId; }

    @Override
    public int eosId() { return eosId; }

    /** Text of the ids after the start token up to the end token; {@code </w>} becomes a space. */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int k = 0; k < ids.length; k++) {
            int id = ids[k];
            if (k == 0 && id == bosId) continue;
            if (id == eosId) break;
            if (id < 0 || id >= vocabSize()) throw new TokenizerException("cannot decode id " + id + ": outside the"
                    + " vocabulary of " + vocabSize() + " ids");
            String tok = tokenString(id);
            if (id >= vocab.size() || regexSpecials.containsValue(id)) {
                bytes.writeBytes((tok + " ").getBytes(StandardCharsets.UTF_8));
                continue;
            }
            boolean endOfWord = tok.endsWith(ClipVocabulary.END_OF_WORD);
            if (endOfWord) tok = tok.substring(0, tok.length() - ClipVocabulary.END_OF_WORD.length());
            for (int c = 0; c < tok.length(); c++) {
                int b = ByteLevel.byteOf(tok.charAt(c));
                if (b >= 0) bytes.write(b);
            }
            if (endOfWord) bytes.write(' ');
        }
        return bytes.toString(StandardCharsets.UTF_8).strip();
    }

    private void rebuildNoSplit() {
        List<NoSplit> list = new ArrayList<>();
        if (pipeline == Pipeline.HF) {
            for (ClipSpecialTokens.Token t : List.of(specials.bos(), specials.eos(), specials.unk(), specials.pad())) {
                if (list.stream().noneMatch(x -> x.content().equals(t.content()))) {
                    list.add(new NoSplit(t.content(), idOr(t.content(), eosId), t.lstrip(), t.rstrip()));
                }
            }
            // Added tokens are plain strings in transformers: whitespace on both sides is stripped.
            addedTokens.forEach((tok, id) -> list.add(new NoSplit(tok, id, true, true)));
        }
        list.sort(Comparator.comparingInt((NoSplit t) -> t.content().length()).reversed());
        noSplit = List.copyOf(list);
    }

    private int requireId(String token, String role) {
        int id = vocab.id(token);
        if (id < 0) throw new TokenizerException(vocab.location(), role + " '" + token + "' is not in the vocabulary");
        return id;
    }

    private int idOr(String token, int fallback) {
        Integer added = addedTokens.get(token);
        if (added != null) return added;
        int id = vocab.id(token);
        return id >= 0 ? id : fallback;
    }

    private static String lstrip(String s) {
        int i = 0;
        while (i < s.length() && TextFixer.isPythonSpace(s.charAt(i))) i++;
        return s.substring(i);
    }

    private static String rstrip(String s) {
        int i = s.length();
        while (i > 0 && TextFixer.isPythonSpace(s.charAt(i - 1))) i--;
        return s.substring(0, i);
    }

    /** Growable int array; avoids boxing on the hot path. */
    private static final class IntList {
        private int[] a = new int[32];
        private int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        void addAll(int[] vs) {
            if (n + vs.length > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + vs.length));
            System.arraycopy(vs, 0, a, n, vs.length);
            n += vs.length;
        }

        int[] toArray() { return Arrays.copyOf(a, n); }
    }
}
