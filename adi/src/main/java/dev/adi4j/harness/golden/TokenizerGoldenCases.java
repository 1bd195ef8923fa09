package dev.adi4j.harness.golden;

import dev.adi4j.core.io.RegularFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adi4j.core.tokenizer.ClipTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Golden cases of kind {@code tokenizer}: every prompt's ids must equal the reference exactly. {@code hf_ids} use
 * the model's tokenizer folder plus the case's added tokens; {@code openclip_ids} the original BPE file in
 * {@code vocab}.
 */
public final class TokenizerGoldenCases {
    /** The id lists a tokenizer case can reproduce. */
    public static final List<String> OUTPUTS = List.of("hf_ids", "openclip_ids");

    private TokenizerGoldenCases() {
    }

    public static List<CaseResult> run(GoldenCase c, Path root) throws IOException {
        Path file = RegularFiles.require(root.resolve(c.file()), "tokenizer golden", GoldenException::new);
        JsonNode golden = new ObjectMapper().readTree(file.toFile());
        JsonNode prompts = golden.get("prompts");
        if (prompts == null || !prompts.isArray() || prompts.isEmpty()) {
            return List.of(CaseResult.failure(c.name(), "", root.resolve(c.file()) + ": no 'prompts' array"));
        }
        List<CaseResult> results = new ArrayList<>();
        for (String output : c.outputs()) {
            ClipTokenizer tokenizer = tokenizerFor(c, root, output);
            if (tokenizer == null) {
                results.add(CaseResult.failure(c.name(), output, "unknown tokenizer output '" + output
                        + "' (known: hf_ids, openclip_ids)"));
                continue;
            }
            results.add(compareAll(c.name(), output, tokenizer, prompts));
        }
        return results;
    }

    private static ClipTokenizer tokenizerFor(GoldenCase c, Path root, String output) {
        return switch (output) {
            case "hf_ids" -> {
                ClipTokenizer t = ClipTokenizer.load(root.resolve(c.model()), ClipTokenizer.Pipeline.HF);
                if (c.addedTokens() != null) c.addedTokens().forEach(t::addToken);
                yield t;
            }
            case "openclip_ids" -> ClipTokenizer.load(root.resolve(c.vocab() != null ? c.vocab() : c.model()),
                    ClipTokenizer.Pipeline.OPENCLIP);
            default -> null;
        };
    }

    private static CaseResult compareAll(String caseName, String output, ClipTokenizer tokenizer, JsonNode prompts) {
        int mismatches = 0;
        String first = null;
        for (JsonNode p : prompts) {
            String text = p.get("text").asText();
            int[] expected = toInts(p.get(output));
            int[] actual = tokenizer.encode(text);
            if (!Arrays.equals(expected, actual)) {
                mismatches++;
                if (first == null) first = "'" + text + "': got " + Arrays.toString(actual) + ", expected " + Arrays.toString(expected);
            }
        }
        if (mismatches > 0) {
            return CaseResult.failure(caseName, output, mismatches + " of " + prompts.size() + " prompts differ; first: " + first);
        }
        return new CaseResult(caseName, output, 0, 0, 0, true, null);
    }

    private static int[] toInts(JsonNode arr) {
        int[] ids = new int[arr.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = arr.get(i).asInt();
        return ids;
    }
}
