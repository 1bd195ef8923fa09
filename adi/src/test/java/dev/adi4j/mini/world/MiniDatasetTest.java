package dev.adi4j.mini.world;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiniDatasetTest {
    static void assertBalanced(Map<?, Integer> counts, String what) {
        int min = counts.values().stream().mapToInt(i -> i).min().orElseThrow();
        int max = counts.values().stream().mapToInt(i -> i).max().orElseThrow();
        assertTrue(max - min <= 1, what + " unbalanced: " + counts);
    }

    @Test
    void sameSeedSameDatasetOtherSeedOtherDataset() {
        List<Sample> a = MiniDataset.generate(7, 100, Mix.all(), CaptionPolicy.DEFAULT);
        assertEquals(a, MiniDataset.generate(7, 100, Mix.all(), CaptionPolicy.DEFAULT));
        assertNotEquals(a, MiniDataset.generate(8, 100, Mix.all(), CaptionPolicy.DEFAULT));
        assertEquals(a.subList(0, 40), MiniDataset.generate(7, 40, Mix.all(), CaptionPolicy.DEFAULT),
                "a shorter dataset is a prefix of a longer one");
        assertEquals(100, a.stream().map(Sample::seed).distinct().count());
    }

    /** Fails unless every prefix of the samples is balanced in the factor {@code key} over {@code all}. */
    static <T> void assertEveryPrefixBalanced(List<Sample> samples, Function<Sample, T> key, List<T> all, String what) {
        Map<T, Integer> c = new HashMap<>();
        for (T t : all) c.put(t, 0);
        for (int n = 0; n < samples.size(); n++) {
            T t = key.apply(samples.get(n));
            assertTrue(c.containsKey(t), what + ": " + t + " is not in the mix");
            c.merge(t, 1, Integer::sum);
            assertBalanced(c, what + " among the first " + (n + 1));
        }
    }

    @Test
    void everyFactorIsBalancedInEveryPrefix() {
        Mix all = Mix.all();
        List<Mix> mixes = List.of(all,
                all.withSubjects(Subject.MAN, Subject.CAT, Subject.BIRD),
                all.withSubjects(Subject.DOG, Subject.BEAR).withActions(Action.HANDSTAND, Action.SITTING),
                all.withSubjects(Subject.MAN, Subject.WOMAN, Subject.CHILD, Subject.ROBOT, Subject.CAT, Subject.DOG)
                        .withActions(Action.WAVING, Action.KICKING, Action.JUMPING, Action.SALUTING),
                all.withActions(Action.JUMPING).withColors(BodyColor.RED, BodyColor.BLUE));
        for (Mix mix : mixes) {
            List<Sample> d = MiniDataset.generate(mix.hashCode(), 700, mix, CaptionPolicy.DEFAULT);
            List<String> pairs = new java.util.ArrayList<>();
            for (Subject s : mix.subjects()) for (Action a : mix.actions()) pairs.add(s + "/" + a);
            String name = mix.subjects().size() + "x" + mix.actions().size();
            assertEveryPrefixBalanced(d, s -> s.scene().subject() + "/" + s.scene().action(), pairs, name + " pairs");
            assertEveryPrefixBalanced(d, s -> s.scene().subject(), mix.subjects(), name + " subjects");
            assertEveryPrefixBalanced(d, s -> s.scene().action(), mix.actions(), name + " actions");
            assertEveryPrefixBalanced(d, s -> s.scene().color(), mix.colors(), name + " colours");
            assertEveryPrefixBalanced(d, s -> s.scene().background(), mix.backgrounds(), name + " backgrounds");
        }
    }

    @Test
    void factorsAreNotTiedTogether() {
        // Independent rounds: over 1000 samples every subject meets every colour and every background.
        List<Sample> d = MiniDataset.generate(3, 1000, Mix.all(), CaptionPolicy.DEFAULT);
        Set<String> subjectColor = new HashSet<>(), subjectBackground = new HashSet<>();
        for (Sample s : d) {
            subjectColor.add(s.scene().subject() + "/" + s.scene().color());
            subjectBackground.add(s.scene().subject() + "/" + s.scene().background());
        }
        assertEquals(64, subjectColor.size());
        assertEquals(48, subjectBackground.size());
    }

    @Test
    void restrictionsAreRespectedAndCaptionsFollowThePolicy() {
        Mix mix = Mix.all().withSubjects(Subject.CAT, Subject.ROBOT).withActions(Action.HANDSTAND, Action.WAVING)
                .withBackgrounds(Background.GREY);
        for (Sample s : MiniDataset.generate(11, 50, mix, CaptionPolicy.DEFAULT)) {
            assertTrue(mix.subjects().contains(s.scene().subject()));
            assertTrue(mix.actions().contains(s.scene().action()));
            assertEquals(Background.GREY, s.scene().background());
            assertEquals(CaptionPolicy.DEFAULT.caption(s.scene()), s.caption());
            assertEquals(Scene.of(s.seed(), s.scene().subject(), s.scene().color(), s.scene().action(),
                    s.scene().background()), s.scene(), "the scene is the one of its seed");
        }
        assertThrows(IllegalArgumentException.class, () -> Mix.all().withActions());
        assertThrows(IllegalArgumentException.class, () -> Mix.all().withSubjects(Subject.CAT, Subject.CAT));
    }

    @Test
    void tenExemplarsOfAHeldOutActionVaryInSubjectAndContext() {
        List<Sample> ex = MiniDataset.exemplars(2024, Action.HANDSTAND, 10, CaptionPolicy.DEFAULT);
        assertEquals(10, ex.size());
        Map<Subject, Integer> subjects = new EnumMap<>(Subject.class);
        Set<BodyColor> colors = new HashSet<>();
        Set<Background> backgrounds = new HashSet<>();
        for (Sample s : ex) {
            assertEquals(Action.HANDSTAND, s.scene().action());
            assertTrue(!s.caption().contains("handstand"), s.caption());
            subjects.merge(s.scene().subject(), 1, Integer::sum);
            colors.add(s.scene().color());
            backgrounds.add(s.scene().background());
        }
        assertEquals(8, subjects.size(), "all subjects before any repeats: " + subjects);
        assertEquals(8, colors.size());
        assertEquals(6, backgrounds.size());
    }

    @Test
    void labelsCarryTheGroundTruth() {
        Sample s = MiniDataset.generate(1, 1, Mix.all(), CaptionPolicy.DEFAULT).get(0);
        Map<String, String> l = s.labels();
        assertEquals(s.scene().subject().word(), l.get("subject"));
        assertEquals(Double.toString(s.scene().jitter().scale()), l.get("scale"));
        assertEquals(s.caption(), l.get("caption"));
        assertEquals(List.of("index", "seed", "subject", "color", "action", "background", "centerX", "groundY", "scale",
                "shade", "stripePhase", "poseNoise", "caption"), List.copyOf(l.keySet()));
    }
}
