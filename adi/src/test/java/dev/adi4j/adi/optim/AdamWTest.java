package dev.adi4j.adi.optim;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamWTest {
    @TempDir
    Path dir;

    /**
     * Two steps worked out by hand in double (lr 0.01, torch defaults). Step 1: after bias correction
     * m/bc1 = g and sqrt(v/bc2) = |g|, so each channel moves by lr * g / (|g| + eps) ~ lr * sign(g) after the
     * decay p *= 0.9999 (e.g. 1 -> 0.9999 - 0.01 * 0.1 / (0.1 + 1e-8) = 0.989900001); a zero gradient gives
     * m = v = 0 and no move. Step 2: m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g^2, bc1 = 0.19, bc2 = 0.001999.
     */
    @Test
    void handComputedTwoSteps() {
        AdamW opt = new AdamW(AdamW.Settings.torchDefaults());
        INDArray p = Nd4j.createFromArray(1.0f, -0.5f, 0.0f, 2.0f);
        opt.step("p", p, Nd4j.createFromArray(0.1f, -0.2f, 0.0f, -3.0f), 0.01);
        assertClose(new double[]{0.989900001, -0.4899500005, 0.0, 2.0097999999666665}, p);
        opt.step("p", p, Nd4j.createFromArray(0.3f, 0.0f, 1e-3f, 0.5f), 0.01);
        assertClose(new double[]{0.980623200220459, -0.48320042343250585, -0.007441263026631013, 2.014984395460909}, p);
        Map<String, INDArray> st = opt.stateTensors();
        assertEquals(Set.of("p.exp_avg", "p.exp_avg_sq", "p.step"), st.keySet());
        assertEquals(2.0f, st.get("p.step").getFloat(0));
        assertClose(new double[]{0.039, -0.018, 1e-4, -0.22}, st.get("p.exp_avg"));
        assertClose(new double[]{9.999e-5, 3.996e-5, 1e-9, 0.009241}, st.get("p.exp_avg_sq"));
    }

    /** The ND4J ops reproduce, bit for bit, torch's float32 order written out per element. */
    @Test
    void float32OrderIsTorchs() {
        AdamW.Settings s = new AdamW.Settings(0.9, 0.99, 1e-6, 0.05);
        AdamW opt = new AdamW(s);
        Random rnd = new Random(7);
        int n = 257;
        float[] p = new float[n], m = new float[n], v = new float[n];
        for (int i = 0; i < n; i++) p[i] = (float) rnd.nextGaussian();
        INDArray param = Nd4j.createFromArray(p.clone());
        for (int t = 1; t <= 6; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float) (rnd.nextGaussian() * Math.scalb(1.0, -rnd.nextInt(12)));
            double lr = 1e-3 * t;
            opt.step("w", param, Nd4j.createFromArray(g), lr);
            double bc1 = 1 - Math.pow(s.beta1(), t);
            float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(s.beta2(), t));
            float negStep = (float) (-lr / bc1);
            for (int i = 0; i < n; i++) {
                p[i] = p[i] * (float) (1 - lr * s.weightDecay());
                m[i] = m[i] + (float) (1 - s.beta1()) * (g[i] - m[i]);
                v[i] = v[i] * (float) s.beta2() + ((float) (1 - s.beta2()) * g[i]) * g[i];
                float denom = (float) Math.sqrt(v[i]) / bc2Sqrt + (float) s.eps();
                p[i] = p[i] + (negStep * m[i]) / denom;
            }
            assertArrayEquals(p, param.toFloatVector(), 0f, "step " + t);
        }
    }

    /**
     * The Java loop equals, bit for bit, the ND4J element-wise ops it replaced (kept here as the reference),
     * also on a parameter that is a strided view of a larger array (written back through assign).
     */
    @Test
    void javaLoopEqualsNd4jOps() {
        AdamW.Settings s = new AdamW.Settings(0.9, 0.999, 1e-8, 0.01);
        AdamW opt = new AdamW(s);
        Random rnd = new Random(3);
        INDArray big = Nd4j.rand(DataType.FLOAT, 33, 20).subi(0.5);
        INDArray param = big.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 11));
        INDArray ref = param.dup('c');
        INDArray m = Nd4j.zeros(DataType.FLOAT, ref.shape());
        INDArray v = Nd4j.zeros(DataType.FLOAT, ref.shape());
        INDArray untouched = big.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(11, 20)).dup();
        for (int t = 1; t <= 5; t++) {
            INDArray grad = Nd4j.create(DataType.FLOAT, ref.shape());
            for (long i = 0; i < grad.length(); i++) grad.putScalar(i, rnd.nextGaussian() * Math.scalb(1.0, -rnd.nextInt(10)));
            double lr = 2e-3 * t;
            opt.step("w", param, grad, lr);
            double bc1 = 1 - Math.pow(s.beta1(), t);
            double bc2Sqrt = Math.sqrt(1 - Math.pow(s.beta2(), t));
            ref.muli(1 - lr * s.weightDecay());
            m.addi(grad.sub(m).muli(1 - s.beta1()));
            v.muli(s.beta2()).addi(grad.mul(1 - s.beta2()).muli(grad));
            INDArray denom = org.nd4j.linalg.ops.transforms.Transforms.sqrt(v, true).divi(bc2Sqrt).addi(s.eps());
            ref.addi(m.mul(-lr / bc1).divi(denom));
            assertArrayEquals(FloatData.read(ref), FloatData.read(param), 0f, "param, step " + t);
            assertArrayEquals(FloatData.read(m), FloatData.read(opt.stateTensors().get("w.exp_avg")), 0f, "m, step " + t);
            assertArrayEquals(FloatData.read(v), FloatData.read(opt.stateTensors().get("w.exp_avg_sq")), 0f, "v, step " + t);
        }
        assertEquals(untouched, big.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(11, 20)));
    }

    @Test
    void savedStateContinuesBitIdentically() throws IOException {
        Random rnd = new Random(11);
        INDArray[] grads = new INDArray[6];
        for (int i = 0; i < grads.length; i++) grads[i] = Nd4j.randn(rnd.nextLong(), new long[]{3, 5}).castTo(DataType.FLOAT);
        INDArray start = Nd4j.randn(5L, new long[]{3, 5}).castTo(DataType.FLOAT);
        INDArray bias = Nd4j.createFromArray(0.5f, -1f);

        AdamW straight = new AdamW(AdamW.Settings.torchDefaults());
        INDArray a = start.dup();
        INDArray ab = bias.dup();
        for (int i = 0; i < 6; i++) {
            straight.step("v", a, grads[i], 5e-3);
            if (i % 2 == 0) straight.step("bias", ab, Nd4j.createFromArray(0.1f * i, -0.2f), 5e-3);
        }

        AdamW first = new AdamW(AdamW.Settings.torchDefaults());
        INDArray b = start.dup();
        INDArray bb = bias.dup();
        for (int i = 0; i < 3; i++) {
            first.step("v", b, grads[i], 5e-3);
            if (i % 2 == 0) first.step("bias", bb, Nd4j.createFromArray(0.1f * i, -0.2f), 5e-3);
        }
        // through a checkpoint file, as a resumed run would
        SafetensorsWriter w = new SafetensorsWriter();
        first.stateTensors().forEach(w::add);
        Path file = dir.resolve("opt.safetensors");
        w.write(file);
        AdamW resumed = new AdamW(AdamW.Settings.torchDefaults());
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            resumed.loadState(r.loadAllFloat());
        }
        assertEquals(3, resumed.stepCount("v"));
        assertEquals(2, resumed.stepCount("bias"));
        for (int i = 3; i < 6; i++) {
            resumed.step("v", b, grads[i], 5e-3);
            if (i % 2 == 0) resumed.step("bias", bb, Nd4j.createFromArray(0.1f * i, -0.2f), 5e-3);
        }
        assertArrayEquals(a.toFloatMatrix(), b.toFloatMatrix());
        assertArrayEquals(ab.toFloatVector(), bb.toFloatVector(), 0f);
        Map<String, INDArray> x = straight.stateTensors();
        Map<String, INDArray> y = resumed.stateTensors();
        assertEquals(x.keySet(), y.keySet());
        x.forEach((k, t) -> assertEquals(t, y.get(k), k));
    }

    @Test
    void loadStateRefusesIncompleteOrOddTensors() {
        AdamW opt = new AdamW(AdamW.Settings.torchDefaults());
        opt.step("v", Nd4j.createFromArray(1f, 2f), Nd4j.createFromArray(0.1f, 0.2f), 1e-3);
        Map<String, INDArray> st = new HashMap<>(opt.stateTensors());
        st.remove("v.exp_avg_sq");
        assertMessage("lacks 'v.exp_avg_sq'", () -> opt.loadState(st));
        Map<String, INDArray> odd = new HashMap<>(opt.stateTensors());
        odd.put("v.momentum", Nd4j.createFromArray(0f));
        assertMessage("not an AdamW state tensor", () -> opt.loadState(odd));
        Map<String, INDArray> frac = new HashMap<>(opt.stateTensors());
        frac.put("v.step", Nd4j.createFromArray(1.5f));
        assertMessage("not a step count", () -> opt.loadState(frac));
        assertEquals(1, opt.stepCount("v"), "a refused load leaves the state as it was");
    }

    @Test
    void stepRefusesMismatchedArguments() {
        AdamW opt = new AdamW(AdamW.Settings.torchDefaults());
        assertMessage("differs from param shape",
                () -> opt.step("v", Nd4j.zeros(DataType.FLOAT, 2, 3), Nd4j.zeros(DataType.FLOAT, 3, 2), 1e-3));
        assertMessage("float32",
                () -> opt.step("v", Nd4j.zeros(DataType.DOUBLE, 2), Nd4j.zeros(DataType.DOUBLE, 2), 1e-3));
        assertMessage("learning rate",
                () -> opt.step("v", Nd4j.zeros(DataType.FLOAT, 2), Nd4j.zeros(DataType.FLOAT, 2), Double.NaN));
        assertMessage("beta2", () -> new AdamW.Settings(0.9, 1.0, 1e-8, 0));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }

    private static void assertClose(double[] expected, INDArray actual) {
        float[] a = actual.toFloatVector();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "index " + i);
        }
    }
}
