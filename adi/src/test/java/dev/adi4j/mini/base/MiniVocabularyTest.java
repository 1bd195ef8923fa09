package dev.adi4j.mini.base;

import dev.adi4j.core.tokenizer.TokenizerException;
import dev.adi4j.core.tokenizer.WordTokenizer;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.MiniDataset;
import dev.adi4j.mini.world.Mix;
import dev.adi4j.mini.world.Sample;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MiniVocabularyTest {
    @Test
    void everyCaptionEncodesWithinTheContextWithoutTruncation() {
        WordTokenizer tok = MiniVocabulary.tokenizer(CaptionPolicy.DEFAULT, MiniModelConfig.standard().contextLength());
        for (Sample s : MiniDataset.generate(5, 500, Mix.all(), CaptionPolicy.DEFAULT)) {
            int[] ids = tok.encode(s.caption());
            assertEquals(s.caption(), tok.decode(ids), "truncated: " + s.caption());
        }
    }

    @Test
    void heldOutActionWordsAreNotInTheVocabulary() {
        WordTokenizer tok = MiniVocabulary.tokenizer(CaptionPolicy.DEFAULT, 16);
        assertFalse(tok.words().contains("handstand"));
        assertThrows(TokenizerException.class, () -> tok.encode("a photo of a red robot doing a handstand"));
    }
}
