package dev.adi4j.mini.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic datasets of the mini world: {@code count} samples from a seed. Balanced in every prefix: each subject,
 * action, (subject, action) pair of the {@link Mix}, colour and background occurs equally often, give or take one,
 * among the first n samples for any n. Colours and backgrounds come from shuffled rounds of their own, so no two
 * factors are tied together.
 */
public final class MiniDataset {
    private MiniDataset() {
    }

    /** The samples of {@code seed}; the same arguments always give the same samples. */
    public static List<Sample> generate(long seed, int count, Mix mix, CaptionPolicy policy) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        SplittableRandom root = new SplittableRandom(seed);
        // Split streams, one per factor: changing the mix of one factor leaves the others' draws as they were.
        SplittableRandom pairRng = root.split(), colorRng = root.split(), backgroundRng = root.split(),
                seedRng = root.split();
        List<SubjectAction> pairSeq = pairRounds(mix.subjects(), mix.actions(), count, pairRng);
        List<BodyColor> colors = rounds(mix.colors(), count, colorRng);
        List<Background> backgrounds = rounds(mix.backgrounds(), count, backgroundRng);
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long sampleSeed = seedRng.nextLong();
            SubjectAction p = pairSeq.get(i);
            Scene scene = Scene.of(sampleSeed, p.subject(), colors.get(i), p.action(), backgrounds.get(i));
            samples.add(new Sample(i, sampleSeed, scene, policy.caption(scene)));
        }
        return samples;
    }

    /**
     * {@code count} exemplars of one action across varied subjects, colours and backgrounds: what an action
     * customization method learns from (e.g. 10 for the ActionBench-mini of a held-out action).
     */
    public static List<Sample> exemplars(long seed, Action action, int count, CaptionPolicy policy) {
        return generate(seed, count, Mix.all().withActions(action), policy);
    }

    /** {@code count} values: shuffled rounds of all values, concatenated. */
    static <T> List<T> rounds(List<T> values, int count, SplittableRandom rng) {
        List<T> out = new ArrayList<>(count);
        while (out.size() < count) {
            List<T> round = shuffled(values, rng);
            out.addAll(round.subList(0, Math.min(round.size(), count - out.size())));
        }
        return out;
    }

    /**
     * {@code count} (subject, action) pairs in rounds of all S x A pairs. A round walks the diagonals of the S x A grid
     * under fresh random orders of subjects and actions: pair k is (subject k mod S, action (k + shift) mod A), the
     * shift changing every lcm(S, A) steps to the next of the gcd(S, A) diagonals. Subjects then cycle, actions run
     * through consecutive arcs, and each pair occurs once per round: every prefix is balanced in all three, which
     * shuffled rounds of pairs are not (ten samples could show three men and no woman).
     */
    static List<SubjectAction> pairRounds(List<Subject> subjects, List<Action> actions, int count,
                                          SplittableRandom rng) {
        int s = subjects.size(), a = actions.size(), g = gcd(s, a), lcm = s / g * a;
        List<Integer> diagonals = new ArrayList<>();
        for (int i = 0; i < g; i++) diagonals.add(i);
        List<SubjectAction> out = new ArrayList<>(count);
        while (out.size() < count) {
            List<Subject> so = shuffled(subjects, rng);
            List<Action> ao = shuffled(actions, rng);
            List<Integer> shifts = shuffled(diagonals, rng);
            for (int k = 0; k < s * a && out.size() < count; k++) {
                out.add(new SubjectAction(so.get(k % s), ao.get((k + shifts.get(k / lcm)) % a)));
            }
        }
        return out;
    }

    /** Fisher-Yates with the given generator (Collections.shuffle needs a java.util.Random). */
    private static <T> List<T> shuffled(List<T> values, SplittableRandom rng) {
        List<T> list = new ArrayList<>(values);
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
        return list;
    }

    private static int gcd(int x, int y) {
        return y == 0 ? x : gcd(y, x % y);
    }

    record SubjectAction(Subject subject, Action action) {
    }
}
