package dev.adi4j.core.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordTokenizerTest {
    private final WordTokenizer tok = WordTokenizer.of(List.of("a", "photo", "of", "red", "robot", "a"), 8);

    @Test
    void encodesWordsBetweenBosAndEosPaddedToTheContextLength() {
        assertArrayEquals(new int[]{0, 3, 4, 5, 3, 6, 7, 1}, tok.encode("a photo of a red robot"));
        assertArrayEquals(new int[]{0, 1, 2, 2, 2, 2, 2, 2}, tok.encode(""));
        assertEquals("a photo of a red robot", tok.decode(tok.encode("a  photo of a red robot ")));
    }

    @Test
    void truncatesSoTheEndTokenFits() {
        int[] ids = tok.encode("a a a a a a a a a a");
        assertEquals(8, ids.length);
        assertEquals(1, ids[7]);
    }

    @Test
    void unknownWordIsAnErrorNamingIt() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> tok.encode("a photo of a handstand"));
        assertTrue(e.getMessage().contains("'handstand'"), e.getMessage());
        assertThrows(TokenizerException.class, () -> tok.encode("a <eos>"));
    }

    @Test
    void addedTokensGetNewIdsAndAreNotSaved(@TempDir Path dir) {
        WordTokenizer t = WordTokenizer.of(List.of("a", "photo"), 6);
        int id = t.addToken("<handstand>");
        assertEquals(5, id);
        assertEquals(id, t.addToken("<handstand>"));
        assertEquals(6, t.vocabSize());
        assertArrayEquals(new int[]{0, 3, 5, 1, 2, 2}, t.encode("a <handstand>"));
        t.save(dir);
        WordTokenizer back = WordTokenizer.load(dir);
        assertEquals(5, back.vocabSize());
        assertEquals(List.of("a", "photo"), back.words());
    }

    @Test
    void savedTokenizerLoadsIdentically(@TempDir Path dir) {
        assertFalse(WordTokenizer.isWordLevel(dir));
        tok.save(dir);
        assertTrue(WordTokenizer.isWordLevel(dir));
        WordTokenizer back = WordTokenizer.load(dir);
        assertEquals(tok.contextLength(), back.contextLength());
        assertEquals(tok.words(), back.words());
        assertArrayEquals(tok.encode("a red robot"), back.encode("a red robot"));
    }
}
