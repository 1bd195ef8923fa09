package dev.adi4j.diffusion.nn;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * adi4j's gradient classes for softmax ({@link SoftmaxFromOutput}), exact GELU ({@link ExactGeluProduct}) and sums
 * ({@link IdentityGradientAdd}) give the analytic gradient, computed here eagerly in double precision, and the
 * gradient function no longer holds the stock *_bp ops they replace.
 */
class GradientRewritesTest {
    private record Result(INDArray grad, java.util.List<String> gradientOps) {
    }

    /** d sum(y * u) / dx for a graph y(x). */
    private static Result gradient(NetGraph g, Tensor y, INDArray x, INDArray u) {
        SDVariable loss = y.var().mul(g.sameDiff().constant(u)).sum();
        loss.rename("loss");
        INDArray grad = g.gradients(Map.of("x", x), "loss", new String[]{"x"}).get("grad:x");
        java.util.List<String> ops = Arrays.stream(g.sameDiff().getFunction("grad").ops()).map(op -> op.opName())
                .collect(Collectors.toList());
        return new Result(grad, ops);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        double scale = Math.max(1e-6, expected.amaxNumber().doubleValue());
        double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(err <= tol * scale, "max abs error " + err + " vs scale " + scale);
    }

    @Test
    void softmaxGradientIsWrittenOnItsOutput() {
        assertTrue(SameDiffPatches.installed());
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 4, 6);
        INDArray u = Nd4j.randn(DataType.FLOAT, 2, 3, 4, 6);
        NetGraph g = NetGraph.create();
        Tensor tx = g.input("x", true, x.shape());
        Tensor y = new Tensor(g.sameDiff().nn.softmax(tx.var(), 3), x.shape());
        Result r = gradient(g, y, x, u);

        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(xd.sub(xd.max(true, 3)), false);
        INDArray sm = e.div(e.sum(true, 3));
        INDArray ud = u.castTo(DataType.DOUBLE);
        INDArray expected = sm.mul(ud.sub(ud.mul(sm).sum(true, 3)));
        assertClose(expected, r.grad(), 1e-5);
        assertFalse(r.gradientOps().contains("softmax_bp"), r.gradientOps().toString());
    }

    @Test
    void geluGradientComesFromItsInputAlone() {
        assertTrue(SameDiffPatches.installed());
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.randn(DataType.FLOAT, 7, 9).muli(2);
        INDArray u = Nd4j.randn(DataType.FLOAT, 7, 9);
        NetGraph g = NetGraph.create();
        Tensor tx = g.input("x", true, x.shape());
        Result r = gradient(g, new Ops(g.sameDiff()).gelu(tx), x, u);

        double[] xs = x.castTo(DataType.DOUBLE).data().asDouble();
        double[] us = u.castTo(DataType.DOUBLE).data().asDouble();
        double[] expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            double cdf = 0.5 * (1 + Erf.erf(xs[i] / Math.sqrt(2)));
            double pdf = Math.exp(-xs[i] * xs[i] / 2) / Math.sqrt(2 * Math.PI);
            expected[i] = us[i] * (cdf + xs[i] * pdf);
        }
        assertClose(Nd4j.createFromArray(expected).reshape(7, 9), r.grad(), 1e-5);
        // one multiply_bp, the loss's: not the GELU product's
        assertEquals(1, java.util.Collections.frequency(r.gradientOps(), "multiply_bp"), r.gradientOps().toString());
    }

    @Test
    void residualSumsAndMaskedScoresPassTheGradientOn() {
        assertTrue(SameDiffPatches.installed());
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 5);
        INDArray u = Nd4j.randn(DataType.FLOAT, 2, 3, 5);
        INDArray mask = Nd4j.randn(DataType.FLOAT, 1, 3, 5);
        NetGraph g = NetGraph.create();
        SameDiff sd = g.sameDiff();
        Ops ops = new Ops(sd);
        Tensor tx = g.input("x", true, x.shape());
        Tensor sq = tx.withVar(tx.var().mul(tx.var()));
        // (x + x^2) + mask, the mask a constant broadcast over the first axis
        Tensor y = ops.add(tx, sq);
        y = y.withVar(ops.identityGradientSum(y.var(), sd.constant(mask)));
        Result r = gradient(g, g.name(y, "y"), x, u);

        INDArray expected = u.castTo(DataType.DOUBLE).mul(x.castTo(DataType.DOUBLE).mul(2).add(1));
        assertClose(expected, r.grad(), 1e-6);
        assertFalse(r.gradientOps().contains("add_bp"), r.gradientOps().toString());
    }
}
