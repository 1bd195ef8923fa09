package dev.adi4j.diffusion.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GroupNorm and LayerNorm through {@link Ops} (fused batchnorm form with its closed-form backward) against the
 * composed reference ({@link Standardize#composed}, SameDiff's own chain rule): outputs and gradients w.r.t. the
 * input and, when trainable, gamma and beta, for loss = sum(y * w) with a random w (sum(y) or sum(y^2) would have
 * near-zero input gradients after a standardisation).
 */
class StandardizeTest {
    private static final double EPS = 1e-5;

    private record Run(Map<String, INDArray> values, Set<String> forwardOps, Set<String> gradientOps) {
    }

    /** Builds y = norm(x, gamma, beta) through {@code build}; returns y and the gradients of sum(y * w). */
    private static Run run(INDArray x, INDArray gamma, INDArray beta, boolean trainableAffine, INDArray w,
                           BiFunction<Tensor, SDVariable[], SDVariable> build) {
        NetGraph g = NetGraph.create();
        SameDiff sd = g.sameDiff();
        Tensor tx = g.input("x", true, x.shape());
        SDVariable gv = trainableAffine ? sd.var("gamma", gamma) : sd.constant("gamma", gamma);
        SDVariable bv = trainableAffine ? sd.var("beta", beta) : sd.constant("beta", beta);
        SDVariable y = build.apply(tx, new SDVariable[]{gv, bv});
        y.rename("y");
        y.mul(sd.constant(w)).sum().rename("loss");
        List<String> wrt = new ArrayList<>(List.of("x"));
        if (trainableAffine) wrt.addAll(List.of("gamma", "beta"));
        Map<String, INDArray> out = g.gradients(Map.of("x", x), "loss", wrt.toArray(String[]::new), "y");
        return new Run(out, opNames(sd), opNames(sd.getFunction("grad")));
    }

    private static Set<String> opNames(SameDiff sd) {
        return Arrays.stream(sd.ops()).map(op -> op.opName()).collect(Collectors.toSet());
    }

    /** The pre-existing GroupNorm graph: [N, G, -1] standardised by means and rsqrt, then the per-channel affine. */
    private static SDVariable referenceGroupNorm(Tensor x, SDVariable[] affine, int groups) {
        SameDiff sd = x.var().getSameDiff();
        long n = x.dim(0);
        SDVariable rows = sd.reshape(x.var(), n * groups, x.numel() / (n * groups));
        SDVariable back = sd.reshape(Standardize.composed(rows, EPS), x.shape());
        long[] affineShape = new long[x.rank()];
        Arrays.fill(affineShape, 1);
        affineShape[1] = x.dim(1);
        return back.mul(sd.reshape(affine[0], affineShape)).add(sd.reshape(affine[1], affineShape));
    }

    private static SDVariable referenceLayerNorm(Tensor x, SDVariable[] affine) {
        SameDiff sd = x.var().getSameDiff();
        long d = x.dim(-1);
        SDVariable rows = sd.reshape(x.var(), x.numel() / d, d);
        return sd.reshape(Standardize.composed(rows, EPS), x.shape()).mul(affine[0]).add(affine[1]);
    }

    private static void assertClose(INDArray expected, INDArray actual, double relTol, String what) {
        assertTrue(Arrays.equals(expected.shape(), actual.shape()), what + ": shape " + Arrays.toString(actual.shape()));
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-6);
        double err = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(err <= relTol * scale, what + ": max abs error " + err + " vs scale " + scale);
    }

    private static void compare(Run fused, Run reference, boolean trainableAffine) {
        assertTrue(Standardize.fusedEnabled(), "the fused normalisation patch is not installed");
        assertTrue(fused.forwardOps().contains("batchnorm"), fused.forwardOps().toString());
        assertFalse(fused.gradientOps().contains("batchnorm_bp"), fused.gradientOps().toString());
        assertFalse(reference.forwardOps().contains("batchnorm"), reference.forwardOps().toString());
        assertClose(reference.values().get("y"), fused.values().get("y"), 1e-5, "y");
        assertClose(reference.values().get("grad:x"), fused.values().get("grad:x"), 1e-4, "dL/dx");
        if (trainableAffine) {
            assertClose(reference.values().get("grad:gamma"), fused.values().get("grad:gamma"), 1e-4, "dL/dgamma");
            assertClose(reference.values().get("grad:beta"), fused.values().get("grad:beta"), 1e-5, "dL/dbeta");
        }
    }

    /** Forward-only graphs (no trainable input) keep the composed form, which is faster there. */
    @org.junit.jupiter.api.Test
    void forwardOnlyGraphsUseTheComposedForm() {
        NetGraph g = NetGraph.create();
        Tensor x = g.input("x", false, 2, 8, 5, 6);
        Ops ops = new Ops(g.sameDiff());
        SDVariable gamma = g.sameDiff().constant("gamma", org.nd4j.linalg.factory.Nd4j.ones(8));
        SDVariable beta = g.sameDiff().constant("beta", org.nd4j.linalg.factory.Nd4j.zeros(8));
        g.name(ops.groupNorm(x, 4, gamma, beta, EPS), "y");
        Set<String> opNames = opNames(g.sameDiff());
        assertFalse(opNames.contains("batchnorm"), opNames.toString());
        INDArray in = input(3, 2, 8, 5, 6);
        INDArray y = g.run(java.util.Map.of("x", in), "y").get("y");
        INDArray rows = in.reshape(8, 60);
        INDArray centred = rows.subColumnVector(rows.mean(1));
        INDArray expected = centred.divColumnVector(
                org.nd4j.linalg.ops.transforms.Transforms.sqrt(centred.mul(centred).mean(1).add(EPS))).reshape(2, 8, 5, 6);
        assertClose(expected, y, 1e-5, "forward-only y");
    }

    /** Input with per-row offsets and scales far from 0 and 1, so a wrong mean or variance path shows. */
    private static INDArray input(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, shape);
        long[] lead = Arrays.copyOf(shape, shape.length);
        for (int i = 2; i < lead.length; i++) lead[i] = 1;
        return x.mul(Nd4j.rand(DataType.FLOAT, lead).mul(3).add(0.1)).add(Nd4j.randn(DataType.FLOAT, lead).mul(2));
    }

    @ParameterizedTest(name = "GroupNorm {0} groups {1} trainable affine {2}")
    @CsvSource({"2x8x5x6,4,false", "1x12x4x4,3,true", "2x6x7,3,false", "2x6x7,2,true"})
    void groupNormMatchesComposedGraph(String shapeText, int groups, boolean trainableAffine) {
        long[] shape = Arrays.stream(shapeText.split("x")).mapToLong(Long::parseLong).toArray();
        INDArray x = input(11, shape);
        INDArray gamma = Nd4j.randn(DataType.FLOAT, shape[1]).add(1);
        INDArray beta = Nd4j.randn(DataType.FLOAT, shape[1]);
        INDArray w = Nd4j.randn(DataType.FLOAT, shape);
        Run fused = run(x, gamma, beta, trainableAffine, w,
                (t, a) -> new Ops(t.var().getSameDiff()).groupNorm(t, groups, a[0], a[1], EPS).var());
        Run reference = run(x, gamma, beta, trainableAffine, w, (t, a) -> referenceGroupNorm(t, a, groups));
        compare(fused, reference, trainableAffine);
    }

    @ParameterizedTest(name = "LayerNorm {0} trainable affine {1}")
    @CsvSource({"2x5x12,false", "3x4x16,true", "7x12,false", "7x12,true"})
    void layerNormMatchesComposedGraph(String shapeText, boolean trainableAffine) {
        long[] shape = Arrays.stream(shapeText.split("x")).mapToLong(Long::parseLong).toArray();
        Nd4j.getRandom().setSeed(21);
        INDArray x = Nd4j.randn(DataType.FLOAT, shape).mul(4).add(1.5);
        long d = shape[shape.length - 1];
        INDArray gamma = Nd4j.randn(DataType.FLOAT, d).add(1);
        INDArray beta = Nd4j.randn(DataType.FLOAT, d);
        INDArray w = Nd4j.randn(DataType.FLOAT, shape);
        Run fused = run(x, gamma, beta, trainableAffine, w,
                (t, a) -> new Ops(t.var().getSameDiff()).layerNorm(t, a[0], a[1], EPS).var());
        Run reference = run(x, gamma, beta, trainableAffine, w, (t, a) -> referenceLayerNorm(t, a));
        compare(fused, reference, trainableAffine);
    }

    /** The closed-form gradient against central finite differences of the fused graph's own loss. */
    @Test
    void fusedInputGradientMatchesFiniteDifferences() {
        INDArray x = input(5, 1, 4, 3, 3).castTo(DataType.DOUBLE).castTo(DataType.FLOAT);
        INDArray w = Nd4j.randn(DataType.FLOAT, 1, 4, 3, 3);
        NetGraph g = NetGraph.create();
        SameDiff sd = g.sameDiff();
        Tensor tx = g.input("x", true, x.shape());
        Tensor y = new Ops(sd).groupNorm(tx, 2, sd.constant(Nd4j.ones(DataType.FLOAT, 4)),
                sd.constant(Nd4j.zeros(DataType.FLOAT, 4)), EPS);
        y.var().mul(sd.constant(w)).sum().rename("loss");
        INDArray grad = g.gradients(Map.of("x", x), "loss", new String[]{"x"}).get("grad:x");
        double h = 1e-2;
        for (long i = 0; i < x.length(); i += 5) {
            Map<String, INDArray> plus = new HashMap<>(Map.of("x", x.dup()));
            plus.get("x").putScalar(i, x.getDouble(i) + h);
            Map<String, INDArray> minus = new LinkedHashMap<>(Map.of("x", x.dup()));
            minus.get("x").putScalar(i, x.getDouble(i) - h);
            double lp = g.run(plus, "loss").get("loss").getDouble(0);
            double lm = g.run(minus, "loss").get("loss").getDouble(0);
            assertEquals((lp - lm) / (2 * h), grad.getDouble(i), 2e-2 * (1 + Math.abs(grad.getDouble(i))), "element " + i);
        }
    }
}
