package dev.adi4j.mini.judge;

import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.MiniDataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JudgeNetTest {
    /** Two stages of 4 and 8 channels on 8x8 images: every kind of layer, cheap enough to probe by finite differences. */
    static final JudgeConfig TINY = new JudgeConfig(8, List.of(4, 8), 2, 2);

    @Test
    void lossIsTheSummedCrossEntropyOfBothHeads() {
        JudgeNet net = JudgeNet.initialised(TINY, 3, 7);
        INDArray images = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 3, 8, 8).subi(0.5).muli(2);
        INDArray s = oneHot(3, JudgeNet.SUBJECTS, 0, 5, 7);
        INDArray a = oneHot(3, JudgeNet.ACTIONS, 8, 1, 0);
        JudgeNet.Logits logits = net.logits(images);
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            expected += crossEntropy(logits.subject().getRow(i).toDoubleVector(), s.getRow(i).toDoubleVector());
            expected += crossEntropy(logits.action().getRow(i).toDoubleVector(), a.getRow(i).toDoubleVector());
        }
        assertEquals(expected / 3, net.loss(images, s, a), 1e-5);
    }

    @Test
    void lossGradientMatchesFiniteDifferences() {
        JudgeNet net = JudgeNet.initialised(TINY, 2, 11);
        INDArray images = Nd4j.create(randomFloats(new SplittableRandom(3), 2 * 3 * 8 * 8), new long[]{2, 3, 8, 8}, 'c');
        INDArray s = oneHot(2, JudgeNet.SUBJECTS, 2, 6);
        INDArray a = oneHot(2, JudgeNet.ACTIONS, 4, 0);
        Map<String, INDArray> g = net.gradients(images, s, a);
        SplittableRandom rng = new SplittableRandom(5);
        // every parameter, one coordinate at a time would be slow; a random direction through all of them checks the
        // whole gradient at once, and the largest coordinate of each tensor checks it entry by entry
        double analytic = 0;
        Map<String, INDArray> direction = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, INDArray> p : net.parameters().entrySet()) {
            INDArray d = Nd4j.create(randomFloats(rng, (int) p.getValue().length()), p.getValue().shape(), 'c');
            direction.put(p.getKey(), d);
            analytic += g.get("grad:" + p.getKey()).mul(d).sumNumber().doubleValue();
        }
        double h = 1e-2;
        shift(net, direction, h);
        double plus = net.loss(images, s, a);
        shift(net, direction, -2 * h);
        double minus = net.loss(images, s, a);
        shift(net, direction, h);
        double numeric = (plus - minus) / (2 * h);
        assertEquals(analytic, numeric, 0.02 * Math.abs(analytic) + 1e-3, "directional derivative");

        for (String name : List.of("conv0.weight", "norm1.weight", "conv3.bias", "subject.weight", "action.bias")) {
            INDArray grad = g.get("grad:" + name);
            long at = Nd4j.argMax(org.nd4j.linalg.ops.transforms.Transforms.abs(grad.reshape(-1), true)).getLong(0);
            INDArray flat = net.parameters().get(name).reshape(-1);
            float orig = flat.getFloat(at);
            flat.putScalar(at, orig + h);
            double p = net.loss(images, s, a);
            flat.putScalar(at, orig - h);
            double m = net.loss(images, s, a);
            flat.putScalar(at, orig);
            double expected = grad.reshape(-1).getDouble(at);
            assertEquals(expected, (p - m) / (2 * h), 0.03 * Math.abs(expected) + 2e-4, name + "[" + at + "]");
        }
    }

    @Test
    void fewStepsOverfitSixteenImages() {
        // two narrow stages: a step costs SameDiff's per-op overhead more than arithmetic, so fewer layers, not fewer
        // channels, keep this test to seconds
        JudgeNet net = JudgeNet.initialised(new JudgeConfig(32, List.of(16, 32), 1, 4), 16, 1);
        JudgeTrainer.Batch batch = JudgeTrainer.Batch.render(
                MiniDataset.generate(42, 16, JudgeTrainer.everything(), CaptionPolicy.DEFAULT), 32);
        AdamW adam = new AdamW(new AdamW.Settings(0.9, 0.999, 1e-8, 0));
        double first = JudgeTrainer.step(net, adam, batch, 1e-2);
        for (int i = 1; i < 40; i++) JudgeTrainer.step(net, adam, batch, 1e-2);
        double last = net.loss(batch.images(), batch.subjects(), batch.actions());
        assertTrue(last < 0.2 * first, "loss " + first + " -> " + last + " after 40 steps on 16 images");
    }

    static INDArray oneHot(int rows, int classes, int... labels) {
        INDArray m = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, rows, classes);
        for (int i = 0; i < rows; i++) m.putScalar(i, labels[i], 1f);
        return m;
    }

    private static double crossEntropy(double[] logits, double[] target) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) max = Math.max(max, v);
        double sum = 0;
        for (double v : logits) sum += Math.exp(v - max);
        double lse = max + Math.log(sum), loss = 0;
        for (int k = 0; k < logits.length; k++) loss -= target[k] * (logits[k] - lse);
        return loss;
    }

    private static float[] randomFloats(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return v;
    }

    private static void shift(JudgeNet net, Map<String, INDArray> direction, double by) {
        net.parameters().forEach((name, p) -> p.addi(direction.get(name).mul(by)));
    }
}
