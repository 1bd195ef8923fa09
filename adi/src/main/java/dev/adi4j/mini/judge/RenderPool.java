package dev.adi4j.mini.judge;

import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.MiniDataset;
import dev.adi4j.mini.world.Sample;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Training images kept rendered: rendering costs about as much as a training step of the judge on two cores
 * (measured 6-20 ms per 32x32 image on two busy cores, against ~20 ms of training per image), so batches are drawn from a pool and a few slots are re-rendered from new
 * scenes every step — the data keeps changing at a fraction of the cost of a fresh batch per step.
 */
final class RenderPool {
    private final int size;
    private final float[][] pixels;
    private final int[] subjects;
    private final int[] actions;
    private final SplittableRandom rng;

    RenderPool(int count, int imageSize, SplittableRandom rng) {
        this.size = imageSize;
        this.rng = rng;
        this.pixels = new float[count][];
        this.subjects = new int[count];
        this.actions = new int[count];
        List<Sample> samples = MiniDataset.generate(rng.nextLong(), count, JudgeTrainer.everything(), CaptionPolicy.DEFAULT);
        for (int i = 0; i < count; i++) put(i, samples.get(i));
    }

    /** Replaces {@code n} random slots by newly drawn scenes. */
    void refresh(int n) {
        if (n == 0) return;
        List<Sample> samples = MiniDataset.generate(rng.nextLong(), n, JudgeTrainer.everything(), CaptionPolicy.DEFAULT);
        for (Sample s : samples) put(rng.nextInt(pixels.length), s);
    }

    /** {@code batch} random images of the pool with their one-hot labels. */
    JudgeTrainer.Batch batch(int batch) {
        int plane = 3 * size * size;
        float[] data = new float[batch * plane];
        INDArray s = Nd4j.zeros(DataType.FLOAT, batch, JudgeNet.SUBJECTS);
        INDArray a = Nd4j.zeros(DataType.FLOAT, batch, JudgeNet.ACTIONS);
        for (int b = 0; b < batch; b++) {
            int i = rng.nextInt(pixels.length);
            System.arraycopy(pixels[i], 0, data, b * plane, plane);
            s.putScalar(b, subjects[i], 1f);
            a.putScalar(b, actions[i], 1f);
        }
        return new JudgeTrainer.Batch(Nd4j.create(data, new long[]{batch, 3, size, size}, 'c'), s, a);
    }

    private void put(int slot, Sample s) {
        pixels[slot] = JudgeImages.tensor(List.of(s.render(size)), 1, size).data().asFloat();
        subjects[slot] = s.scene().subject().ordinal();
        actions[slot] = s.scene().action().ordinal();
    }
}
