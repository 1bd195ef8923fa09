package dev.adi4j.mini.judge;

import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.MiniDataset;
import dev.adi4j.mini.world.Sample;
import dev.adi4j.mini.world.Subject;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A judge measured on rendered images with known ground truth: accuracies and both confusion matrices
 * ({@code [truth][predicted]}, indexed by ordinal).
 */
public record Evaluation(Accuracy accuracy, int[][] subjectConfusion, int[][] actionConfusion) {

    /** Fractions of images whose subject, action, and both were labelled correctly. */
    public record Accuracy(double subject, double action, double both, int count) {
    }

    /** Renders {@code count} images of every subject and action (standing included) from {@code seed} and judges them. */
    public static Evaluation of(Judge judge, long seed, int count) {
        List<Sample> samples = MiniDataset.generate(seed, count, JudgeTrainer.everything(), CaptionPolicy.DEFAULT);
        return of(judge, samples);
    }

    /** Judges the given samples, rendered at the judge's size. */
    public static Evaluation of(Judge judge, List<Sample> samples) {
        int[][] subjects = new int[Subject.values().length][Subject.values().length];
        int[][] actions = new int[Action.values().length][Action.values().length];
        int s = 0, a = 0, both = 0;
        int chunk = 256;
        for (int start = 0; start < samples.size(); start += chunk) {
            List<Sample> part = samples.subList(start, Math.min(samples.size(), start + chunk));
            List<BufferedImage> images = new ArrayList<>(part.size());
            for (Sample x : part) images.add(x.render(judge.config().imageSize()));
            List<Prediction> predictions = judge.classify(images);
            for (int i = 0; i < part.size(); i++) {
                Subject ts = part.get(i).scene().subject();
                Action ta = part.get(i).scene().action();
                Prediction p = predictions.get(i);
                subjects[ts.ordinal()][p.subject().ordinal()]++;
                actions[ta.ordinal()][p.action().ordinal()]++;
                boolean okS = p.subject() == ts, okA = p.action() == ta;
                if (okS) s++;
                if (okA) a++;
                if (okS && okA) both++;
            }
        }
        int n = samples.size();
        return new Evaluation(new Accuracy((double) s / n, (double) a / n, (double) both / n, n), subjects, actions);
    }

    /** One line of accuracies and the most frequent confusions of each head (truth -> predicted: count). */
    public String summary() {
        return String.format(Locale.ROOT, "subject %.2f%%, action %.2f%%, both %.2f%% of %d; subject confusions: %s; "
                        + "action confusions: %s", 100 * accuracy.subject(), 100 * accuracy.action(),
                100 * accuracy.both(), accuracy.count(), topConfusions(subjectConfusion, Subject.values()),
                topConfusions(actionConfusion, Action.values()));
    }

    private static String topConfusions(int[][] m, Enum<?>[] classes) {
        record Cell(int truth, int predicted, int count) {
        }
        List<Cell> cells = new ArrayList<>();
        for (int t = 0; t < m.length; t++) {
            for (int p = 0; p < m.length; p++) if (t != p && m[t][p] > 0) cells.add(new Cell(t, p, m[t][p]));
        }
        if (cells.isEmpty()) return "none";
        cells.sort(Comparator.comparingInt(Cell::count).reversed());
        List<String> parts = new ArrayList<>();
        for (Cell c : cells.subList(0, Math.min(5, cells.size()))) {
            parts.add(name(classes[c.truth()]) + "->" + name(classes[c.predicted()]) + ": " + c.count());
        }
        return String.join(", ", parts);
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
