package dev.adi4j.mini.base;

import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.CaptionPolicy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of a base-model training run. Everything except {@link #steps} and the logging/checkpoint cadence
 * decides the weights, so a run resumes only with the same values (the learning rate does not depend on the
 * total, so a finished run can be extended by raising {@code steps}).
 *
 * @param datasetSize     rendered training images (seeded, balanced over subject x action)
 * @param captionDropout  probability of training a sample with the empty prompt (for classifier-free guidance)
 * @param emaDecay        the EMA's decay after its warm-up ((1 + step) / (10 + step) until then, as diffusers' EMAModel)
 * @param maxGradNorm     global gradient-norm clip (diffusers' train_text_to_image uses 1.0)
 */
public record BaseTrainConfig(MiniModelConfig model, CaptionPolicy policy, int steps, int batch, double lr,
                              int warmupSteps, double weightDecay, double emaDecay, double captionDropout,
                              double maxGradNorm, long seed, int datasetSize, int checkpointEvery, int logEvery) {
    public BaseTrainConfig {
        if (steps < 0 || batch < 1 || datasetSize < 1 || checkpointEvery < 1 || logEvery < 1) {
            throw new IllegalArgumentException("steps >= 0, and batch, dataset size, checkpoint and log cadence >= 1");
        }
        if (captionDropout < 0 || captionDropout > 1 || emaDecay < 0 || emaDecay >= 1) {
            throw new IllegalArgumentException("caption dropout in [0, 1], EMA decay in [0, 1)");
        }
    }

    /** The spec's run: 10k steps of batch 32, AdamW 3e-4, 10% caption dropout, EMA 0.999. */
    public static BaseTrainConfig standard() {
        return new BaseTrainConfig(MiniModelConfig.standard(), CaptionPolicy.DEFAULT, 10_000, 32, 3e-4, 200, 0.01,
                0.999, 0.1, 1.0, 1, 8192, 250, 10);
    }

    public BaseTrainConfig withSteps(int n) {
        return new BaseTrainConfig(model, policy, n, batch, lr, warmupSteps, weightDecay, emaDecay, captionDropout,
                maxGradNorm, seed, datasetSize, checkpointEvery, logEvery);
    }

    public BaseTrainConfig withModel(MiniModelConfig m, int batchSize, int images) {
        return new BaseTrainConfig(m, policy, steps, batchSize, lr, warmupSteps, weightDecay, emaDecay, captionDropout,
                maxGradNorm, seed, images, checkpointEvery, logEvery);
    }

    public BaseTrainConfig withCadence(int checkpoints, int logs) {
        return new BaseTrainConfig(model, policy, steps, batch, lr, warmupSteps, weightDecay, emaDecay, captionDropout,
                maxGradNorm, seed, datasetSize, checkpoints, logs);
    }

    /** The learning rate at a step (1-based): linear warm-up, then constant. */
    public double lrAt(long step) {
        return warmupSteps <= 0 ? lr : lr * Math.min(1.0, (double) step / warmupSteps);
    }

    /** What must match to resume: everything but the step count and the cadence. */
    String identity() {
        return withSteps(0).withCadence(1, 1).toString();
    }

    private static final Pattern HELD_OUT = Pattern.compile("heldOut=\\[([A-Z_, ]*)]");

    /**
     * A stored identity with its held-out actions in declaration order: checkpoints written before the policy kept an
     * ordered set list them in whatever order that process's set iterated.
     */
    static String canonicalIdentity(String stored) {
        if (stored == null) return null;
        Matcher m = HELD_OUT.matcher(stored);
        if (!m.find() || m.group(1).isBlank()) return stored;
        List<String> names = new ArrayList<>(Arrays.asList(m.group(1).split(", ")));
        try {
            names.sort(Comparator.comparingInt(n -> Action.valueOf(n).ordinal()));
        } catch (IllegalArgumentException e) {
            return stored;
        }
        return stored.substring(0, m.start(1)) + String.join(", ", names) + stored.substring(m.end(1));
    }
}
