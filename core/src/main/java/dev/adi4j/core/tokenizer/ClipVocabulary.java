package dev.adi4j.core.tokenizer;

import dev.adi4j.core.io.RegularFiles;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A CLIP byte-level BPE vocabulary: token strings by id and the ordered merge list. Loads either the Hugging Face
 * layout ({@code vocab.json} + {@code merges.txt}, as in an SD 2.1 {@code tokenizer/} folder) or the original
 * {@code bpe_simple_vocab_16e6.txt.gz}, from which the vocabulary is derived exactly as CLIP's
 * {@code SimpleTokenizer} does (ids 0-255 bytes, 256-511 bytes + {@code </w>}, then the merges, then
 * {@code <|startoftext|>}, {@code <|endoftext|>}).
 */
public final class ClipVocabulary {
    public static final String HF_VOCAB = "vocab.json";
    public static final String HF_MERGES = "merges.txt";
    public static final String BPE_GZ = "bpe_simple_vocab_16e6.txt.gz";
    public static final String START_OF_TEXT = "<|startoftext|>";
    public static final String END_OF_TEXT = "<|endoftext|>";
    static final String END_OF_WORD = "</w>";
    /** CLIP (both loaders, also transformers) uses only the first 49152 - 256 - 2 merges of the file. */
    static final int MAX_MERGES = 49152 - 256 - 2;

    /** Where a vocabulary was read from; decides the default pipeline. */
    public enum Source { HUGGING_FACE, BPE_GZ }

    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final List<String[]> merges;
    private final Source source;
    private final Path location;

    private ClipVocabulary(String[] tokens, Map<String, Integer> ids, List<String[]> merges, Source source,
                           Path location) {
        this.tokens = tokens;
        this.ids = ids;
        this.merges = merges;
        this.source = source;
        this.location = location;
    }

    /**
     * Loads from a Hugging Face tokenizer folder, a folder holding {@code bpe_simple_vocab_16e6.txt.gz}, or
     * that file itself. A folder with {@code vocab.json} is read as Hugging Face layout.
     */
    public static ClipVocabulary load(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.exists(path.resolve(HF_VOCAB)) || Files.exists(path.resolve(HF_MERGES))) {
                return fromHuggingFace(path);
            }
            if (Files.exists(path.resolve(BPE_GZ))) return fromBpeGz(path.resolve(BPE_GZ));
            throw new TokenizerException(path, "not a tokenizer folder: expected " + HF_VOCAB + " + " + HF_MERGES
                    + " or " + BPE_GZ);
        }
        if (!Files.exists(path)) throw new TokenizerException(path, "tokenizer folder or file not found");
        String name = path.getFileName().toString();
        if (name.endsWith(".gz")) return fromBpeGz(path);
        if (name.equals(HF_VOCAB) || name.equals(HF_MERGES)) return fromHuggingFace(path.toAbsolutePath().getParent());
        throw new TokenizerException(path, "not a tokenizer file: expected a folder, " + BPE_GZ + " or " + HF_VOCAB);
    }

    /** Reads {@code dir/vocab.json} and {@code dir/merges.txt}. */
    public static ClipVocabulary fromHuggingFace(Path dir) {
        Path vocabFile = dir.resolve(HF_VOCAB);
        Path mergesFile = dir.resolve(HF_MERGES);
        String[] tokens = readVocabJson(vocabFile);
        List<String[]> merges = parseMerges(mergesFile, readUtf8(mergesFile));
        return new ClipVocabulary(tokens, indexOf(tokens, vocabFile), merges, Source.HUGGING_FACE, dir);
    }

    /** Reads CLIP's original merge list and derives the vocabulary from it. */
    public static ClipVocabulary fromBpeGz(Path file) {
        String text;
        RegularFiles.require(file, "BPE merges", TokenizerException::new);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file, "file not found");
        } catch (IOException e) {
            throw new TokenizerException(file, "cannot read as gzip text: " + e.getMessage(), e);
        }
        List<String[]> merges = parseMerges(file, text);
        List<String> vocab = new ArrayList<>(512 + merges.size() + 2);
        for (int b : ByteLevel.BYTE_ORDER) vocab.add(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]));
        for (int b : ByteLevel.BYTE_ORDER) vocab.add(ByteLevel.BYTE_TO_CHAR[b] + END_OF_WORD);
        for (String[] m : merges) vocab.add(m[0] + m[1]);
        vocab.add(START_OF_TEXT);
        vocab.add(END_OF_TEXT);
        String[] tokens = vocab.toArray(String[]::new);
        return new ClipVocabulary(tokens, indexOf(tokens, file), merges, Source.BPE_GZ, file);
    }

    public int size() { return tokens.length; }

    /** Id of {@code token}, or -1 if it is not in the vocabulary. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** Token string of {@code id}. */
    public String token(int id) { return tokens[id]; }

    /** Merges in priority order (index = rank), each {@code {left, right}}. */
    public List<String[]> merges() { return merges; }

    public Source source() { return source; }

    /** The folder or file the vocabulary was read from. */
    public Path location() { return location; }

    private static String readUtf8(Path file) {
        try {
            return Files.readString(RegularFiles.require(file, "tokenizer", TokenizerException::new), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file, "file not found");
        } catch (IOException e) {
            throw new TokenizerException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Merge lines after the header line, as CLIP and transformers read them. */
    private static List<String[]> parseMerges(Path file, String text) {
        String[] lines = text.strip().split("\n", -1);
        int n = Math.min(lines.length - 1, MAX_MERGES);
        List<String[]> merges = new ArrayList<>(Math.max(n, 0));
        for (int i = 1; i <= n; i++) {
            String[] parts = lines[i].strip().split("\\s+");
            if (parts.length != 2 || parts[0].isEmpty()) {
                throw new TokenizerException(file, "line " + (i + 1) + ": expected two symbols separated by a"
                        + " space, got '" + lines[i] + "'");
            }
            merges.add(parts);
        }
        if (merges.isEmpty()) throw new TokenizerException(file, "holds no merges (expected a header line and merge lines)");
        return merges;
    }

    private static String[] readVocabJson(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(RegularFiles.require(file, "tokenizer vocabulary", TokenizerException::new));
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file, "file not found");
        } catch (IOException e) {
            throw new TokenizerException(file, "cannot read: " + e.getMessage(), e);
        }
        Map<String, Integer> map = new HashMap<>(1 << 17);
        int maxId = -1;
        try (JsonParser p = new JsonFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TokenizerException(file, "expected a JSON object mapping token -> id");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String token = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw new TokenizerException(file, "token '" + token + "': expected an integer id, got "
                            + p.getText());
                }
                int id = p.getIntValue();
                if (id < 0) throw new TokenizerException(file, "token '" + token + "': negative id " + id);
                map.put(token, id);
                maxId = Math.max(maxId, id);
            }
        } catch (JsonProcessingException e) {
            throw new TokenizerException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException(file, "cannot read: " + e.getMessage(), e);
        }
        if (map.isEmpty()) throw new TokenizerException(file, "vocabulary is empty");
        String[] tokens = new String[maxId + 1];
        for (Map.Entry<String, Integer> e : map.entrySet()) {
            int id = e.getValue();
            if (tokens[id] != null) {
                throw new TokenizerException(file, "id " + id + " is used by both '" + tokens[id] + "' and '"
                        + e.getKey() + "'");
            }
            tokens[id] = e.getKey();
        }
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] == null) throw new TokenizerException(file, "ids are not contiguous: no token has id " + id
                    + " (largest id " + maxId + ")");
        }
        return tokens;
    }

    private static Map<String, Integer> indexOf(String[] tokens, Path file) {
        Map<String, Integer> ids = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) ids.put(tokens[i], i);
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevel.BYTE_TO_CHAR[b]);
            if (!ids.containsKey(c) || !ids.containsKey(c + END_OF_WORD)) {
                throw new TokenizerException(file, "byte-level symbol '" + c + "' (byte " + b + ") or '" + c
                        + END_OF_WORD + "' is missing from the vocabulary");
            }
        }
        return ids;
    }

    @Override
    public String toString() {
        return "ClipVocabulary[" + tokens.length + " tokens, " + merges.size() + " merges, " + source + " "
                + location + "]";
    }
}
