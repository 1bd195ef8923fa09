package dev.adi4j.mini.bench;

import dev.adi4j.core.tokenizer.WordTokenizer;
import dev.adi4j.mini.base.MiniVocabulary;
import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaseModelCheckTest {
    @Test
    void captionPromptsUseOnlyTheModelsWordsAndVaryColourAndBackground() {
        WordTokenizer tok = MiniVocabulary.tokenizer(CaptionPolicy.DEFAULT, 16);
        java.util.Set<String> seen = new java.util.HashSet<>();
        int k = 0;
        for (Action a : Action.values()) {
            if (CaptionPolicy.DEFAULT.isHeldOut(a)) continue;
            for (Subject s : Subject.values()) {
                String c = BaseModelCheck.caption(s, a, k++);
                tok.encode(c); // throws on a word the model never saw
                assertTrue(c.contains(" " + s.word() + " " + a.phrase() + " on "), c);
                seen.add(c.substring(0, c.indexOf(s.word())) + c.substring(c.indexOf(" on ")));
            }
        }
        assertTrue(seen.size() > 20, "colour/background combinations: " + seen.size());
    }

    @Test
    void writeCardReplacesItsSectionAndCopiesTheSampleGrid(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("README.md"), "# card\n\nbody\n");
        Path grid = dir.resolve("grid.png");
        Files.write(grid, new byte[]{1, 2, 3});
        List<BaseModelCheck.Result> first = List.of(new BaseModelCheck.Result("caption", new Score(4, 3, 2, 1), grid));
        BaseModelCheck.writeCard(model, first, 2, 20, 3.0);
        BaseModelCheck.writeCard(model, List.of(new BaseModelCheck.Result("caption", new Score(4, 4, 4, 4), grid)), 2, 20, 3.0);
        String card = Files.readString(model.resolve("README.md"));
        assertTrue(card.startsWith("# card\n\nbody\n\n" + BaseModelCheck.CARD_SECTION), card);
        assertEquals(1, card.split(BaseModelCheck.CARD_SECTION, -1).length - 1, "one section: " + card);
        assertTrue(card.contains("subject 100.0%, action 100.0%, both 100.0% (4 images)"), card);
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(model.resolve("samples.png")));
    }
}
