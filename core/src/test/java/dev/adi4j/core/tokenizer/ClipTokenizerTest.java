package dev.adi4j.core.tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Behaviour around added tokens, truncation and decoding (ids beyond the golden file). */
class ClipTokenizerTest {
    private static ClipVocabulary vocab;

    @BeforeAll
    static void load() {
        vocab = ClipVocabulary.load(SharedFixtures.hfTokenizerDir());
    }

    private static ClipTokenizer sd21() {
        return new ClipTokenizer(vocab, ClipSpecialTokens.read(SharedFixtures.hfTokenizerDir()),
                ClipTokenizer.Pipeline.HF);
    }

    @Test
    void addedTokensGetConsecutiveIdsAndAddingTwiceIsStable() {
        ClipTokenizer t = sd21();
        assertEquals(49408, t.vocabSize());
        assertEquals(49408, t.addToken("<handstand>"));
        assertEquals(49409, t.addToken("<cat-toy>"));
        assertEquals(49408, t.addToken("<handstand>"));
        assertEquals(49410, t.vocabSize());
        assertEquals(vocab.id("dog</w>"), t.addToken("dog</w>"), "a vocabulary token keeps its id");
        assertEquals(49410, t.vocabSize());
    }

    @Test
    void addedTokenIsNotSplitEvenInsideAWord() {
        ClipTokenizer t = sd21();
        int id = t.addToken("<sks>");
        int[] ids = t.encode("a<sks>b");
        assertEquals(id, ids[2]);
        assertEquals(77, ids.length);
    }

    @Test
    void openclipPipelineRefusesAddedTokens() {
        ClipTokenizer t = new ClipTokenizer(vocab, ClipSpecialTokens.clipDefaults(), ClipTokenizer.Pipeline.OPENCLIP);
        assertThrows(TokenizerException.class, () -> t.addToken("<x>"));
    }

    @Test
    void truncationKeepsTheEndToken() {
        ClipTokenizer t = sd21();
        int[] ids = t.encode("cat ".repeat(200));
        assertEquals(49406, ids[0]);
        assertEquals(49407, ids[76]);
        assertEquals(vocab.id("cat</w>"), ids[75]);
    }

    @Test
    void decodeRoundTripsCleanText() {
        ClipTokenizer t = sd21();
        t.addToken("<handstand>");
        assertEquals("a photo of a <handstand> , café 日本", t.decode(t.encode("A photo of a <handstand>, café 日本")));
    }

    @Test
    void cacheDoesNotChangeResults() {
        ClipTokenizer t = sd21();
        int[] first = t.encode("a photograph of an astronaut riding a horse");
        assertArrayEquals(first, t.encode("a photograph of an astronaut riding a horse"));
    }
}
