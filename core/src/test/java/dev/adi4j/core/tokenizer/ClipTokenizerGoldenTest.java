package dev.adi4j.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every prompt of shared/fixtures/tokenizer/tokenizer_golden.json, both pipelines, exact ids. */
class ClipTokenizerGoldenTest {
    private static JsonNode golden;
    private static ClipTokenizer hf;
    private static ClipTokenizer openclip;

    @BeforeAll
    static void load() throws IOException {
        golden = new ObjectMapper().readTree(SharedFixtures.golden().toFile());
        hf = ClipTokenizer.load(SharedFixtures.hfTokenizerDir());
        for (Iterator<Map.Entry<String, JsonNode>> it = golden.get("added_tokens").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals(e.getValue().asInt(), hf.addToken(e.getKey()), "id of added token " + e.getKey());
        }
        openclip = ClipTokenizer.load(SharedFixtures.bpeGz());
    }

    private static Stream<JsonNode> prompts() {
        List<JsonNode> list = new ArrayList<>();
        golden.get("prompts").forEach(list::add);
        assertEquals(85, list.size(), "golden prompt count");
        return list.stream();
    }

    private static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asInt();
        return out;
    }

    private static String name(JsonNode p) {
        return "#" + p.get("index").asInt() + " " + p.get("kind").asText() + ": " + p.get("text").asText()
                .replaceAll("\\p{Cntrl}", "?");
    }

    @TestFactory
    Stream<DynamicTest> hfIds() {
        return prompts().map(p -> DynamicTest.dynamicTest(name(p), () ->
                assertArrayEquals(ints(p.get("hf_ids")), hf.encode(p.get("text").asText()),
                        () -> "tokens " + hf.tokenStrings(p.get("text").asText()) + " expected " + p.get("hf_tokens"))));
    }

    @TestFactory
    Stream<DynamicTest> openclipIds() {
        return prompts().map(p -> DynamicTest.dynamicTest(name(p), () ->
                assertArrayEquals(ints(p.get("openclip_ids")), openclip.encode(p.get("text").asText()),
                        () -> "tokens " + openclip.tokenStrings(p.get("text").asText()) + " expected "
                                + p.get("openclip_tokens"))));
    }

    @TestFactory
    Stream<DynamicTest> cleanedTexts() {
        return prompts().map(p -> DynamicTest.dynamicTest(name(p), () -> {
            String text = p.get("text").asText();
            assertEquals(p.get("hf_ftfy_lower_text").asText(),
                    TextFixer.pythonLower(TextFixer.whitespaceClean(TextFixer.fixText(text))), "ftfy + lower");
            String basicClean = TextFixer.pythonStrip(HtmlEntities.pythonUnescape(HtmlEntities.pythonUnescape(
                    TextFixer.fixText(text))));
            assertEquals(p.get("openclip_clean_text").asText(),
                    TextFixer.pythonLower(TextFixer.whitespaceClean(basicClean)), "open_clip cleaning");
        }));
    }

    @Test
    void untruncatedLengthsMatch() {
        prompts().forEach(p -> {
            String text = p.get("text").asText();
            assertEquals(p.get("hf_len_untruncated").asInt(), hf.contentIds(text).length + 2, name(p));
            assertEquals(p.get("openclip_len_untruncated").asInt(), openclip.contentIds(text).length + 2, name(p));
        });
    }

    @Test
    void specialTokenChecksOfSd21Files() {
        JsonNode checks = golden.get("tokenizer_checks");
        assertEquals(checks.get("pad_token_id").asInt(), hf.padId());
        assertEquals(checks.get("bos_token_id").asInt(), hf.bosId());
        assertEquals(checks.get("eos_token_id").asInt(), hf.eosId());
        assertEquals(checks.get("model_max_length").asInt(), hf.contextLength());
        assertEquals(ClipTokenizer.Pipeline.HF, hf.pipeline());
        assertEquals(ClipTokenizer.Pipeline.OPENCLIP, openclip.pipeline());
        assertTrue(hf.vocabSize() >= 49410);
    }
}
