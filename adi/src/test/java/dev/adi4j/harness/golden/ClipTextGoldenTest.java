package dev.adi4j.harness.golden;

import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text encoder against the transformers goldens, with cases.json's outputs and tolerances. */
class ClipTextGoldenTest {

    @Test
    void forwardMatchesGolden() {
        GoldenCase c = golden("text_forward");
        check(c, TextGoldenCases.textForward(Shared.fixture(c.file()), Shared.fixture(c.model()), c.outputs(), c.tol()));
    }

    @Test
    void identifierGradientsMatchGolden() {
        GoldenCase c = golden("text_grad_embedding");
        check(c, TextGoldenCases.textGradEmbedding(Shared.fixture(c.file()), Shared.fixture(c.model()), c.outputs(), c.tol()));
    }

    private static GoldenCase golden(String name) {
        return GoldenIndex.read(Shared.fixture("cases.json")).cases().stream().filter(c -> c.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no case " + name + " in cases.json"));
    }

    private static void check(GoldenCase c, List<CaseResult> results) {
        String report = results.stream().map(CaseResult::line).collect(Collectors.joining("\n"));
        System.out.println(report);
        assertEquals(c.outputs().size(), results.size(), report);
        assertTrue(results.stream().allMatch(CaseResult::pass), report);
    }
}
