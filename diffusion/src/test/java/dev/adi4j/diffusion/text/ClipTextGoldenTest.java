package dev.adi4j.diffusion.text;

import dev.adi4j.diffusion.golden.CaseResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text encoder against the transformers goldens, with cases.json's outputs and tolerances. */
class ClipTextGoldenTest {

    @Test
    void forwardMatchesGolden() {
        TextFixtures.Case c = TextFixtures.golden("text_forward");
        check(c, TextGoldenCases.textForward(c.file(), c.model(), c.outputs(), c.tolerance()));
    }

    @Test
    void identifierGradientsMatchGolden() {
        TextFixtures.Case c = TextFixtures.golden("text_grad_embedding");
        check(c, TextGoldenCases.textGradEmbedding(c.file(), c.model(), c.outputs(), c.tolerance()));
    }

    private static void check(TextFixtures.Case c, List<CaseResult> results) {
        String report = results.stream().map(CaseResult::line).collect(Collectors.joining("\n"));
        System.out.println(report);
        assertEquals(c.outputs().size(), results.size(), report);
        assertTrue(results.stream().allMatch(CaseResult::pass), report);
    }
}
