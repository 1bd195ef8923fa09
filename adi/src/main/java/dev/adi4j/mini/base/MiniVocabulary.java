package dev.adi4j.mini.base;

import dev.adi4j.core.tokenizer.WordTokenizer;
import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.Background;
import dev.adi4j.mini.world.BodyColor;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.Subject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mini world's words as its captions use them. Words only held-out actions use (e.g. "handstand") are left
 * out: the model has no word for those actions, so a prompt naming one fails loudly instead of meaning nothing.
 */
public final class MiniVocabulary {
    private MiniVocabulary() {
    }

    /** Every word a caption under {@code policy} can contain, in a fixed order. */
    public static List<String> words(CaptionPolicy policy) {
        Set<String> words = new LinkedHashSet<>(List.of("a", "an", "photo", "of", "on", "background"));
        for (BodyColor c : BodyColor.values()) addWords(words, c.word());
        for (Subject s : Subject.values()) addWords(words, s.word());
        for (Action a : Action.values()) if (!policy.isHeldOut(a)) addWords(words, a.phrase());
        for (Background b : Background.values()) addWords(words, b.word());
        return new ArrayList<>(words);
    }

    /** The tokenizer of the mini world under {@code policy}. */
    public static WordTokenizer tokenizer(CaptionPolicy policy, int contextLength) {
        return WordTokenizer.of(words(policy), contextLength);
    }

    private static void addWords(Set<String> into, String phrase) {
        for (String w : phrase.trim().split("\\s+")) into.add(w.toLowerCase());
    }
}
