package dev.adi4j.mini.judge;

import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.Background;
import dev.adi4j.mini.world.BodyColor;
import dev.adi4j.mini.world.Mix;
import dev.adi4j.mini.world.Sample;
import dev.adi4j.mini.world.Subject;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a judge on freshly rendered images (every step a new balanced batch; the renderer's jitter is the
 * augmentation), checkpointing the judge folder after every evaluation so an interrupted run leaves a usable judge.
 */
public final class JudgeTrainer {
    /** How the committed judge is reproduced (the CLI wires this entry). */
    static final String COMMAND = "JudgeTrainer.train(JudgeConfig.standard(), JudgeTrainConfig.standard(), out, progress)";
    private static final int WARMUP = 50;

    private JudgeTrainer() {
    }

    /** The standard architecture trained with {@code config}; see {@link #train(JudgeConfig, JudgeTrainConfig, Path, Consumer)}. */
    public static Evaluation train(JudgeTrainConfig config, Path out, Consumer<String> progress) throws IOException {
        return train(JudgeConfig.standard(), config, out, progress);
    }

    /**
     * Trains from scratch, writes the judge to {@code out} ({@value Judge#WEIGHTS} + {@value Judge#CARD}) and returns
     * its evaluation on the held-out rendered set. Progress lines: step, loss, images/s; evaluations with confusions.
     */
    public static Evaluation train(JudgeConfig arch, JudgeTrainConfig config, Path out, Consumer<String> progress)
            throws IOException {
        JudgeNet net = JudgeNet.initialised(arch, config.batch(), config.seed());
        AdamW adam = new AdamW(new AdamW.Settings(0.9, 0.999, 1e-8, config.weightDecay()));
        SplittableRandom batches = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        long start = System.nanoTime();
        double windowLoss = 0;
        double lastLoss = Double.NaN;
        Evaluation evaluation = null;
        RenderPool pool = new RenderPool(config.poolSize(), arch.imageSize(), batches);
        progress.accept(String.format(Locale.ROOT, "rendered a pool of %d images in %.1f s", config.poolSize(),
                (System.nanoTime() - start) / 1e9));
        long windowStart = System.nanoTime();
        for (int step = 1; step <= config.steps(); step++) {
            if (step > 1) pool.refresh(config.freshPerStep());
            Batch b = pool.batch(config.batch());
            double lr = learningRate(config, step);
            lastLoss = step(net, adam, b, lr);
            windowLoss += lastLoss;
            if (step % config.logEvery() == 0 || step == config.steps()) {
                long now = System.nanoTime();
                int n = step % config.logEvery() == 0 ? config.logEvery() : step % config.logEvery();
                progress.accept(String.format(Locale.ROOT, "step %d/%d loss %.4f lr %.2e images/s %.1f", step,
                        config.steps(), windowLoss / n, lr, n * config.batch() / ((now - windowStart) / 1e9)));
                windowStart = now;
                windowLoss = 0;
            }
            if (config.evalEvery() > 0 && step % config.evalEvery() == 0 && step < config.steps()) {
                evaluation = checkpoint(net, arch, config, step, lastLoss, start, out, progress);
                windowStart = System.nanoTime();
            }
        }
        evaluation = checkpoint(net, arch, config, config.steps(), lastLoss, start, out, progress);
        return evaluation;
    }

    private static Evaluation checkpoint(JudgeNet net, JudgeConfig arch, JudgeTrainConfig config, int step,
                                         double loss, long start, Path out, Consumer<String> progress)
            throws IOException {
        double seconds = (System.nanoTime() - start) / 1e9;
        Judge judge = new Judge(net, null);
        Evaluation e = Evaluation.of(judge, config.evalSeed(), config.evalCount());
        JudgeCard card = new JudgeCard(JudgeCard.FORMAT, names(Subject.values()), names(Action.values()), arch,
                config, step, loss, seconds, e.accuracy(), COMMAND);
        new Judge(net, card).save(out);
        progress.accept(String.format(Locale.ROOT, "eval step %d (%.0f s): %s", step, seconds, e.summary()));
        return e;
    }

    /** One AdamW step on one batch; returns the batch's loss before the step. */
    static double step(JudgeNet net, AdamW adam, Batch b, double lr) {
        Map<String, INDArray> g = net.gradients(b.images(), b.subjects(), b.actions());
        for (Map.Entry<String, INDArray> p : net.parameters().entrySet()) {
            adam.step(p.getKey(), p.getValue(), g.get("grad:" + p.getKey()), lr);
        }
        return g.get(JudgeNet.LOSS).getDouble(0);
    }

    /** Every subject, colour and background, and all nine action classes (STANDING too). */
    public static Mix everything() {
        return new Mix(List.of(Subject.values()), List.of(Action.values()), List.of(BodyColor.values()),
                List.of(Background.values()));
    }

    /** Linear warm-up over the first steps, then cosine decay to a tenth of the peak. */
    static double learningRate(JudgeTrainConfig config, int step) {
        int warmup = Math.min(WARMUP, Math.max(1, config.steps() / 10));
        if (step <= warmup) return config.learningRate() * step / warmup;
        double t = (double) (step - warmup) / Math.max(1, config.steps() - warmup);
        return config.learningRate() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * t)));
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    /** Images [batch, 3, size, size] and their one-hot labels. */
    record Batch(INDArray images, INDArray subjects, INDArray actions) {
        static Batch render(List<Sample> samples, int size) {
            List<BufferedImage> images = new ArrayList<>(samples.size());
            INDArray s = Nd4j.zeros(DataType.FLOAT, samples.size(), JudgeNet.SUBJECTS);
            INDArray a = Nd4j.zeros(DataType.FLOAT, samples.size(), JudgeNet.ACTIONS);
            for (int i = 0; i < samples.size(); i++) {
                Sample x = samples.get(i);
                images.add(x.render(size));
                s.putScalar(i, x.scene().subject().ordinal(), 1f);
                a.putScalar(i, x.scene().action().ordinal(), 1f);
            }
            return new Batch(JudgeImages.tensor(images, samples.size(), size), s, a);
        }
    }
}
