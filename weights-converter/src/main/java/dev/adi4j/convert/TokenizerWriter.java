package dev.adi4j.convert;

import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.model.TokenizerFiles;
import dev.adi4j.core.tokenizer.ClipVocabulary;
import dev.adi4j.core.tokenizer.TokenizerException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Writes {@code tokenizer/} of a model folder: copied from a Hugging Face tokenizer folder, or derived from
 * CLIP's {@code bpe_simple_vocab_16e6.txt.gz} ({@code vocab.json} in id order and {@code merges.txt} with the
 * {@code #version: 0.2} header, as transformers' files for SD 2.1 are). The special-token files absent from
 * the source are SD 2.1's published ones.
 */
public final class TokenizerWriter {
    /** Sub-folder of a model folder that holds the tokenizer files. */
    public static final String FOLDER = ModelFolder.TOKENIZER;

    private TokenizerWriter() {
    }

    /** True when {@code path} is a usable tokenizer source (HF folder, .gz file, or a folder holding the .gz). */
    public static boolean isSource(Path path) {
        return Files.isRegularFile(path) ? path.toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                : Files.isRegularFile(path.resolve(TokenizerFiles.VOCAB)) || Files.isRegularFile(path.resolve(ClipVocabulary.BPE_GZ));
    }

    /** Writes the tokenizer files into {@code out} (created). */
    public static void write(Path source, Path out) {
        try {
            Files.createDirectories(out);
            boolean hf = Files.isDirectory(source) && Files.isRegularFile(source.resolve(TokenizerFiles.VOCAB));
            if (hf) {
                for (String f : new String[]{TokenizerFiles.VOCAB, TokenizerFiles.MERGES}) {
                    Path src = source.resolve(f);
                    if (!Files.isRegularFile(src)) throw new ConversionException(src, null, "tokenizer file not found");
                    Files.copy(src, out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
                ClipVocabulary.fromHuggingFace(out); // refuse broken files now, not at first use
            } else {
                Path gz = Files.isDirectory(source) ? source.resolve(ClipVocabulary.BPE_GZ) : source;
                ClipVocabulary vocab = ClipVocabulary.fromBpeGz(gz);
                Files.writeString(out.resolve(TokenizerFiles.VOCAB), vocabJson(vocab), StandardCharsets.UTF_8);
                Files.writeString(out.resolve(TokenizerFiles.MERGES), mergesTxt(vocab), StandardCharsets.UTF_8);
            }
            for (String f : new String[]{TokenizerFiles.SPECIAL_TOKENS_MAP, TokenizerFiles.TOKENIZER_CONFIG}) {
                Path src = Files.isDirectory(source) ? source.resolve(f) : null;
                if (src != null && Files.isRegularFile(src)) {
                    Files.copy(src, out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.writeString(out.resolve(f), ModelConfigs.resourceText(f), StandardCharsets.UTF_8);
                }
            }
        } catch (TokenizerException e) {
            throw new ConversionException(source, null, "unusable tokenizer: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out + ": " + e.getMessage(), e);
        }
    }

    /** {@code {"token": id, ...}} in id order, non-ASCII kept (like Python's json.dumps(ensure_ascii=False)). */
    static String vocabJson(ClipVocabulary vocab) {
        StringBuilder sb = new StringBuilder(vocab.size() * 16).append('{');
        for (int id = 0; id < vocab.size(); id++) {
            if (id > 0) sb.append(", ");
            quote(sb, vocab.token(id));
            sb.append(": ").append(id);
        }
        return sb.append('}').toString();
    }

    /** The {@code #version: 0.2} header, then one {@code a b} line per merge. */
    static String mergesTxt(ClipVocabulary vocab) {
        StringBuilder sb = new StringBuilder(vocab.merges().size() * 12).append("#version: 0.2\n");
        for (String[] m : vocab.merges()) sb.append(m[0]).append(' ').append(m[1]).append('\n');
        return sb.toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
