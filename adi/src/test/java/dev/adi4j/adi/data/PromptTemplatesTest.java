package dev.adi4j.adi.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class PromptTemplatesTest {
    @Test
    void fillsPlaceholderAndCaption() {
        assertEquals("a photo of a person <A>", PromptTemplates.prompt("a photo of a person {}", "<A>", null));
        assertEquals("a photo of a person <A>", PromptTemplates.prompt("a photo of a person {}", "<A>", "ignored"));
        assertEquals("a photo of a man in a red jacket <A>",
                PromptTemplates.prompt("a photo of {caption} {}", "<A>", "  a man in  a red jacket. "));
        // A caption holding "{}" stays text; only the template's slot takes the placeholder.
        assertEquals("{caption} {} x <A>", PromptTemplates.prompt("{caption} x {}", "<A>", "{caption} {}"));
    }

    @Test
    void captionTemplateWithoutCaptionFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptTemplates.prompt("a photo of {caption} {}", "<A>", null));
        assertTrue(e.getMessage().contains("\"a photo of {caption} {}\" uses {caption}"), e.getMessage());
    }

    @Test
    void validationNamesTheTemplate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptTemplates.of(List.of("a photo of a person {}", "a photo of a dancer")));
        assertEquals("prompt template \"a photo of a dancer\" has no {} (expected {} where the placeholder goes)",
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PromptTemplates.validate("{} and {}"))
                .getMessage().contains("has 2 {}"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PromptTemplates.validate("{captions} {}"))
                .getMessage().contains("unknown {captions}"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PromptTemplates.validate("a {} }"))
                .getMessage().contains("unbalanced"));
        assertThrows(IllegalArgumentException.class, () -> PromptTemplates.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> PromptTemplates.prompt("a {}", " ", null));
        PromptTemplates.defaults().templates().forEach(PromptTemplates::validate);
    }

    @Test
    void choiceIsSeededAndRespectsCaptions() {
        PromptTemplates t = PromptTemplates.defaults();
        Set<String> withoutCaption = new HashSet<>(), withCaption = new HashSet<>();
        SplittableRandom r1 = new SplittableRandom(3), r2 = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            String a = t.prompt(r1, "<A>", null);
            assertEquals(a, t.prompt(r2, "<A>", null));
            withoutCaption.add(a);
            String b = t.prompt(r1, "<A>", "a boy");
            assertEquals(b, t.prompt(r2, "<A>", "a boy"));
            withCaption.add(b);
        }
        assertEquals(4, withoutCaption.size(), withoutCaption.toString());
        assertTrue(withoutCaption.stream().allMatch(p -> p.endsWith("a person <A>")));
        assertEquals(6, withCaption.size(), withCaption.toString());
        assertTrue(withCaption.contains("a photo of a boy <A>"));
        // Keyed draws repeat for the same key and differ across keys.
        assertEquals(t.prompt(Draws.of(1, 5, 0, "template"), "<A>", null),
                t.prompt(Draws.of(1, 5, 0, "template"), "<A>", null));
    }

    @Test
    void captionOnlyTemplatesNeedCaptions() {
        PromptTemplates t = PromptTemplates.of(List.of("a photo of {caption} {}"));
        assertTrue(t.needsCaptions());
        assertFalse(PromptTemplates.defaults().needsCaptions());
        assertThrows(IllegalArgumentException.class, () -> t.prompt(new SplittableRandom(1), "<A>", null));
        assertEquals("a photo of a boy <A>", t.prompt(new SplittableRandom(1), "<A>", "a boy"));
    }
}
